#pragma once

#include "engine/ports/tokenrecords.h"
#include "store/postgres/pgsession.h"

namespace antibody {

// TokenRecords in the team's PostgreSQL store (table api_tokens, PostgreSQL schema
// version 2). Token writes are an admin's, not the leading engine's: they are not
// fenced by the lease's epoch (PgSession::writeUnfenced), so `antibodyctl token` works
// whichever replica leads; the audit row goes into the one chain under its head's lock.
class PgTokens : public TokenRecords
{
public:
    explicit PgTokens(PgSession &session)
        : m_session(session)
    {
    }

    TokenWrite createToken(const ApiToken &token) override;
    TokenWrite revokeToken(const QString &id, const QString &by, TimePoint at) override;
    std::optional<ApiToken> findToken(const QString &id) override;
    QList<ApiToken> tokens() override;

private:
    QList<ApiToken> select(const QString &condition, const PgParams &params, bool forUpdate = false);
    PgSession &m_session;
};

} // namespace antibody
