#pragma once

// The TokenRecords port's contract, one suite for every backend: a token is stored with
// the SHA-256 of its secret and never the secret, read back after a restart, refused
// when its id is taken, revoked once, audited in the same chain, and the database
// refuses edits and deletions. tst_sqlitestore runs it on MemoryTokens and SqliteTokens,
// tst_pgstore on PgTokens, each over the Store backend of the Store contract.
#include "engine/ports/tokenrecords.h"
#include "storecontract.h"

#include <functional>

namespace antibody {

struct TokenBackend
{
    std::unique_ptr<StoreBackend> store;
    // The token records on a store of that backend (its database, its audit trail).
    std::function<std::unique_ptr<TokenRecords>(Store &)> tokensOn;
};

class TokenContract : public QObject
{
    Q_OBJECT
public:
    explicit TokenContract(std::vector<TokenBackend> backends);
    ~TokenContract() override;

private Q_SLOTS:
    void aTokenIsStoredAndReadBackAfterARestart_data() { backends_data(); }
    void aTokenIsStoredAndReadBackAfterARestart();
    void theSecretIsNeverStoredNorAudited_data() { backends_data(); }
    void theSecretIsNeverStoredNorAudited();
    void aTakenIdIsRefusedNotOverwritten_data() { backends_data(); }
    void aTakenIdIsRefusedNotOverwritten();
    void aRevocationIsFinalAndAudited_data() { backends_data(); }
    void aRevocationIsFinalAndAudited();
    void expiryIsTheStoredOne_data() { backends_data(); }
    void expiryIsTheStoredOne();
    void theSchemaRefusesEditsAndDeletions_data() { backends_data(); }
    void theSchemaRefusesEditsAndDeletions();

private:
    void backends_data();
    TokenBackend &backend();
    std::vector<TokenBackend> m_backends;
};

} // namespace antibody
