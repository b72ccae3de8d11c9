#pragma once

#include "app/antibodyctl/serverconnection.h"
#include "engine/ports/tokenrecords.h"

namespace antibody::ctl {

// The API tokens of a team server, administered over its client API (`antibodyctl token
// ... --server URL`): the same port as the store's, so that `token create|list|revoke`
// is one flow either way. A new token's secret stays here: the server gets its record and
// SHA-256. The server stamps who made or revoked a token and when, not this side.
class RemoteTokenRecords : public TokenRecords
{
public:
    explicit RemoteTokenRecords(ServerConnection &connection)
        : m_connection(connection)
    {
    }

    TokenWrite createToken(const ApiToken &token) override;
    TokenWrite revokeToken(const QString &id, const QString &by, TimePoint at) override;
    std::optional<ApiToken> findToken(const QString &id) override;
    QList<ApiToken> tokens() override;
    // Why the last request failed, when the server could not be asked or did not answer
    // (tokens() is then empty, findToken nothing); empty otherwise.
    const QString &failure() const { return m_failure; }
    // The last request got no answer (rather than the server's refusal).
    bool unreachable() const { return m_unreachable; }

private:
    TokenWrite write(const QJsonObject &command);

    ServerConnection &m_connection;
    QString m_failure;
    bool m_unreachable = false;
};

} // namespace antibody::ctl
