#pragma once

#include "engine/ports/store.h"
#include "engine/ports/tokenrecords.h"

#include <QList>

namespace antibody {

// TokenRecords in memory, for tests: the same refusals as the durable stores; its
// audit rows go to the AuditLog given (a MemoryStore's), if any.
class MemoryTokens : public TokenRecords
{
public:
    explicit MemoryTokens(AuditLog *audit = nullptr)
        : m_audit(audit)
    {
    }

    TokenWrite createToken(const ApiToken &token) override;
    TokenWrite revokeToken(const QString &id, const QString &by, TimePoint at) override;
    std::optional<ApiToken> findToken(const QString &id) override;
    QList<ApiToken> tokens() override { return m_tokens; }

private:
    AuditLog *m_audit;
    QList<ApiToken> m_tokens;
};

} // namespace antibody
