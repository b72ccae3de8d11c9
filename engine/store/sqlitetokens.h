#pragma once

#include "engine/ports/tokenrecords.h"
#include "engine/store/sqlitesession.h"

namespace antibody {

// TokenRecords in the SQLite file of a one-server team (table api_tokens, schema
// version 4): each creation and revocation committed, with its audit row, before the
// call returns.
class SqliteTokens : public TokenRecords, protected SqliteFacet
{
public:
    explicit SqliteTokens(SqliteSession &session)
        : SqliteFacet(session)
    {
    }

    TokenWrite createToken(const ApiToken &token) override;
    TokenWrite revokeToken(const QString &id, const QString &by, TimePoint at) override;
    std::optional<ApiToken> findToken(const QString &id) override;
    QList<ApiToken> tokens() override;

private:
    QList<ApiToken> select(const QString &id);
};

} // namespace antibody
