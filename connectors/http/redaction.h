#pragma once

#include <QByteArray>
#include <QString>
#include <QUrl>

namespace antibody {

// What may be shown of a URL in errors and logs: scheme, host, port and path.
// User info and the query (where some APIs carry tokens) are dropped.
QString redactedUrl(const QUrl &url);
// For URLs whose path is the credential (Slack-style webhooks): "https://hooks.example/[redacted]".
QString redactedUrl(const QUrl &url, bool hidePath);

// One header line as libcurl's trace shows it, with the value of credential
// headers (Authorization, Proxy-Authorization, Cookie, Set-Cookie, X-Api-Key...:
// every name Redaction::isSecretKey calls secret) replaced by "[redacted]".
QByteArray redactedHeaderLine(const QByteArray &line);

} // namespace antibody
