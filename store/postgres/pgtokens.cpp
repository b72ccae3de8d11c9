#include "store/postgres/pgtokens.h"

#include "store/postgres/pgaudittrail.h"
#include "store/postgres/pgrow.h"

using namespace Qt::StringLiterals;

namespace antibody {

TokenWrite PgTokens::createToken(const ApiToken &token)
{
    TokenWrite out;
    const bool written = m_session.writeUnfenced(u"create the API token %1"_s.arg(token.id), [&] {
        const PgRows inserted = m_session.exec(
            u"INSERT INTO api_tokens (id, subject, groups, secret_sha256, created_at, created_by, expires_at) "
            "VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (id) DO NOTHING RETURNING id"_s,
            PgParams() << token.id << token.subject << groupsColumn(token.groups) << token.secretSha256
                       << token.createdAt << token.createdBy << token.expiresAt);
        if (inserted.rows.isEmpty()) {
            out.reason = idTaken(token.id);
            return;
        }
        PgAuditTrail(m_session).append(AuditTrail::entryOf(createdEvent(token)));
        out.done = true;
    });
    return written ? out : TokenWrite { false, storeFailed() };
}

TokenWrite PgTokens::revokeToken(const QString &id, const QString &by, TimePoint at)
{
    TokenWrite out;
    const bool written = m_session.writeUnfenced(u"revoke the API token %1"_s.arg(id), [&] {
        const QList<ApiToken> found = select(u"id = $1"_s, PgParams() << id, true);
        if (found.isEmpty()) {
            out.reason = noSuchToken(id);
            return;
        }
        if (found.front().revoked()) {
            out.reason = alreadyRevoked(found.front());
            return;
        }
        m_session.exec(
            u"UPDATE api_tokens SET revoked_at = $1, revoked_by = $2 WHERE id = $3"_s, PgParams() << at << by << id);
        PgAuditTrail(m_session).append(AuditTrail::entryOf(revokedEvent(found.front(), by, at)));
        out.done = true;
    });
    return written ? out : TokenWrite { false, storeFailed() };
}

QList<ApiToken> PgTokens::select(const QString &condition, const PgParams &params, bool forUpdate)
{
    const PgRows q = m_session.exec(u"SELECT id, subject, groups, secret_sha256, created_at, created_by, expires_at, "
                                    "revoked_at, revoked_by FROM api_tokens WHERE "_s
            + condition + u" ORDER BY created_at, id"_s + (forUpdate ? u" FOR UPDATE"_s : QString()),
        params);
    QList<ApiToken> out;
    for (qsizetype i = 0; i < q.rows.size(); ++i) {
        const PgRow r(q, i);
        ApiToken t;
        t.id = r.text(0);
        t.subject = r.text(1);
        t.groups = groupsFromColumn(r.text(2));
        t.secretSha256 = r.text(3);
        t.createdAt = r.time(4);
        t.createdBy = r.text(5);
        t.expiresAt = r.time(6);
        t.revokedAt = r.optionalTime(7);
        if (t.revokedAt)
            t.revokedBy = r.text(8);
        out << t;
    }
    return out;
}

std::optional<ApiToken> PgTokens::findToken(const QString &id)
{
    QList<ApiToken> found;
    m_session.read(u"read the API token %1"_s.arg(id), [&] { found = select(u"id = $1"_s, PgParams() << id); });
    return found.isEmpty() ? std::nullopt : std::optional<ApiToken>(found.front());
}

QList<ApiToken> PgTokens::tokens()
{
    QList<ApiToken> out;
    m_session.read(u"read the API tokens"_s, [&] { out = select(u"true"_s, {}); });
    return out;
}

} // namespace antibody
