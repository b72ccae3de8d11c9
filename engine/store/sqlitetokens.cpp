#include "engine/store/sqlitetokens.h"

#include "engine/store/audittrail.h"
#include "engine/store/sqlitedatabase.h"

using namespace Qt::StringLiterals;

namespace antibody {

TokenWrite SqliteTokens::createToken(const ApiToken &token)
{
    TokenWrite out;
    const bool written = write(u"create the API token %1"_s.arg(token.id), Durability::Durable, [&] {
        auto taken = m_db.prepare(u"SELECT count(*) FROM api_tokens WHERE id = ?"_s);
        taken.bind(1, token.id);
        if (taken.step() && taken.integer(0) > 0) {
            out.reason = idTaken(token.id);
            return;
        }
        auto q = m_db.prepare(u"INSERT INTO api_tokens (id, subject, groups, secret_sha256, created_at, created_by, "
                              "expires_at) VALUES (?, ?, ?, ?, ?, ?, ?)"_s);
        q.bind(1, token.id)
            .bind(2, token.subject)
            .bind(3, groupsColumn(token.groups))
            .bind(4, token.secretSha256)
            .bind(5, toMillis(token.createdAt))
            .bind(6, token.createdBy)
            .bind(7, toMillis(token.expiresAt));
        q.run();
        AuditTrail(m_db).append(AuditTrail::entryOf(createdEvent(token)));
        out.done = true;
    });
    if (!written)
        out = { false, storeFailed() };
    return out;
}

TokenWrite SqliteTokens::revokeToken(const QString &id, const QString &by, TimePoint at)
{
    TokenWrite out;
    const bool written = write(u"revoke the API token %1"_s.arg(id), Durability::Durable, [&] {
        const QList<ApiToken> found = select(id);
        if (found.isEmpty()) {
            out.reason = noSuchToken(id);
            return;
        }
        if (found.front().revoked()) {
            out.reason = alreadyRevoked(found.front());
            return;
        }
        auto q = m_db.prepare(u"UPDATE api_tokens SET revoked_at = ?, revoked_by = ? WHERE id = ?"_s);
        q.bind(1, toMillis(at)).bind(2, by).bind(3, id);
        q.run();
        AuditTrail(m_db).append(AuditTrail::entryOf(revokedEvent(found.front(), by, at)));
        out.done = true;
    });
    if (!written)
        out = { false, storeFailed() };
    return out;
}

QList<ApiToken> SqliteTokens::select(const QString &id)
{
    QList<ApiToken> out;
    auto q = m_db.prepare(u"SELECT id, subject, groups, secret_sha256, created_at, created_by, expires_at, revoked_at, "
                          "revoked_by FROM api_tokens WHERE ? IS NULL OR id = ? ORDER BY created_at, id"_s);
    if (id.isNull())
        q.bindNull(1).bindNull(2);
    else
        q.bind(1, id).bind(2, id);
    while (q.step()) {
        ApiToken t;
        t.id = q.text(0);
        t.subject = q.text(1);
        t.groups = groupsFromColumn(q.text(2));
        t.secretSha256 = q.text(3);
        t.createdAt = fromMillis(q.integer(4));
        t.createdBy = q.text(5);
        t.expiresAt = fromMillis(q.integer(6));
        if (!q.isNull(7)) {
            t.revokedAt = fromMillis(q.integer(7));
            t.revokedBy = q.text(8);
        }
        out << t;
    }
    return out;
}

std::optional<ApiToken> SqliteTokens::findToken(const QString &id)
{
    QList<ApiToken> found;
    read(u"read the API token %1"_s.arg(id), [&] { found = select(id.isNull() ? u""_s : id); });
    return found.isEmpty() ? std::nullopt : std::optional<ApiToken>(found.front());
}

QList<ApiToken> SqliteTokens::tokens()
{
    QList<ApiToken> out;
    read(u"read the API tokens"_s, [&] { out = select({}); });
    return out;
}

} // namespace antibody
