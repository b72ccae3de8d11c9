#pragma once

#include <QSslConfiguration>
#include <QString>
#include <QUrl>
#include <optional>

namespace antibody {

// Where the team server is and whom to trust for it, from `--server URL [--ca-file PEM]`.
// wss:// is verified against the system's CAs and the file's; ws:// (no TLS) is allowed
// to a server on this machine only, as the server itself allows it: approvals never
// cross a network in clear text.
struct ServerAddress
{
    QUrl url; // with its port: 8443 when the URL names none, the server's default
    std::optional<QSslConfiguration> tls; // none for ws://

    static constexpr int defaultPort = 8443;

    // Nothing, and `error` says what is wrong and what to give instead, for a URL that is
    // not a team server's or a CA file that cannot be read.
    static std::optional<ServerAddress> parse(const QString &url, const QString &caFile, QString *error);
};

} // namespace antibody
