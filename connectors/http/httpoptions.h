#pragma once

#include "connectors/config/secret.h"
#include "engine/core/time.h"

#include <QByteArray>
#include <QString>

namespace antibody {

struct HttpAuth
{
    enum class Kind { None, Bearer, Basic };
    Kind kind = Kind::None;
    QString username; // Basic
    Secret secret; // the bearer token or the Basic password
};

struct TlsOptions
{
    QString caFile; // PEM bundle to trust instead of the system's
    QByteArray caPem; // ... or PEM text (a kubeconfig's certificate-authority-data)
    QString clientCertFile; // mutual TLS
    QByteArray clientCertPem;
    QString clientKeyFile;
    Secret clientKeyPem;
    // Turns verification of the server's certificate and name off. Only with an
    // explicit `insecure_skip_verify: true`, and every start logs a warning.
    bool insecureSkipVerify = false;
};

// How one connector talks HTTP. Every libcurl handle is configured from one of
// these in one place (CurlHandle), so no call can forget a timeout or TLS.
struct HttpOptions
{
    Duration connectTimeout { 3'000 };
    Duration totalTimeout { 10'000 };
    qint64 maxResponseBytes = 16 * 1024 * 1024;
    int maxRedirects = 3;
    // Idempotent requests only: attempts in all (1 = no retry), with exponential
    // backoff from retryBase up to retryMax, each delay jittered.
    int maxAttempts = 3;
    Duration retryBase { 200 };
    Duration retryMax { 2'000 };
    TlsOptions tls;
    HttpAuth auth;
    // The URL's path is itself a credential (chat webhooks): errors show scheme and host only.
    bool hideUrlPath = false;
    // Logs each request's headers (credentials redacted) to the antibody.http category.
    bool trace = false;
    QString userAgent = QStringLiteral("antibody/" ANTIBODY_VERSION);
    // The configuration key these options came from, for errors: "sources.prometheus".
    QString configKey;
};

} // namespace antibody
