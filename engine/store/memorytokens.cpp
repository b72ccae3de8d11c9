#include "engine/store/memorytokens.h"

namespace antibody {

TokenWrite MemoryTokens::createToken(const ApiToken &token)
{
    if (findToken(token.id))
        return { false, idTaken(token.id) };
    ApiToken stored = token;
    stored.revokedAt.reset();
    stored.revokedBy.clear();
    m_tokens << stored;
    if (m_audit)
        m_audit->append(createdEvent(stored));
    return { true, {} };
}

TokenWrite MemoryTokens::revokeToken(const QString &id, const QString &by, TimePoint at)
{
    for (ApiToken &t : m_tokens) {
        if (t.id != id)
            continue;
        if (t.revoked())
            return { false, alreadyRevoked(t) };
        t.revokedAt = at;
        t.revokedBy = by;
        if (m_audit)
            m_audit->append(revokedEvent(t, by, at));
        return { true, {} };
    }
    return { false, noSuchToken(id) };
}

std::optional<ApiToken> MemoryTokens::findToken(const QString &id)
{
    for (const ApiToken &t : m_tokens) {
        if (t.id == id)
            return t;
    }
    return std::nullopt;
}

} // namespace antibody
