#pragma once

#include "engine/core/time.h"
#include "engine/domain/apitoken.h"
#include "engine/domain/engineevent.h"

#include <QList>
#include <QString>
#include <optional>

namespace antibody {

// The answer to creating or revoking a token.
struct TokenWrite
{
    bool done = false;
    QString reason; // when not done: why, in a sentence
};

// Port: the API tokens of a team server's people, kept beside the engine's records but
// apart from the engine's Store: the engine never reads or writes a token (the server's
// sessions and `antibodyctl token` do), and a token write is an admin's, not a decision
// of the leading engine, so it is not fenced by the leader lease (docs/store.md, "API tokens").
//
// Each creation and revocation is appended to the audit trail in the same transaction
// as the record (`token_created`, `token_revoked`: the token's id and subject, who did
// it; never the secret or its hash). Records are never deleted; a revocation is final.
class TokenRecords
{
public:
    virtual ~TokenRecords();

    // Stores a new token. Refused when its id is taken (draw another) or the store fails.
    virtual TokenWrite createToken(const ApiToken &token) = 0;
    // Revokes it, once. Refused when there is no such token or it is revoked already.
    virtual TokenWrite revokeToken(const QString &id, const QString &by, TimePoint at) = 0;
    virtual std::optional<ApiToken> findToken(const QString &id) = 0;
    // Every token, oldest first.
    virtual QList<ApiToken> tokens() = 0;

    // The audit trail's rows for them, the same on every store.
    static EngineEvent createdEvent(const ApiToken &token);
    static EngineEvent revokedEvent(const ApiToken &token, const QString &by, TimePoint at);
    // The refusals, the same on every store.
    static QString idTaken(const QString &id);
    static QString noSuchToken(const QString &id);
    static QString alreadyRevoked(const ApiToken &token);
    static QString storeFailed(); // the store's own message went to its failure handler
    // The groups as the `groups` column holds them: a compact JSON array.
    static QString groupsColumn(const QStringList &groups);
    static QStringList groupsFromColumn(const QString &json);
};

} // namespace antibody
