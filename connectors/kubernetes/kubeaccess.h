#pragma once

#include "connectors/config/configuration.h"
#include "connectors/http/httpoptions.h"

#include <QDateTime>
#include <QUrl>
#include <mutex>
#include <optional>

namespace antibody {

// How to reach one Kubernetes API server and who to be there: read from a
// kubeconfig (its current or a named context) or from the service account a
// pod runs as. Supported credentials: a bearer token (inline in the kubeconfig,
// a token file, or the service account's), client certificates, basic auth.
// Exec credential plugins (cloud logins) are not run: they are refused with a
// message saying what to use instead.
struct KubeAccess
{
    QUrl server;
    QString ns; // the context's namespace, or the service account's
    TlsOptions tls;
    HttpAuth auth; // Basic, or a Bearer token fixed at load
    QString tokenFile; // a Bearer token re-read when the file changes (service-account tokens rotate)
    QString describe; // "context prod (cluster c1, user ops)" or "in-cluster service account"

    struct Loaded;
    static Loaded fromKubeconfig(const QString &path, const QString &context);
    // `root` is where the service account's files are (/var/run/secrets/kubernetes.io/serviceaccount).
    static Loaded inCluster(const QString &root = QStringLiteral("/var/run/secrets/kubernetes.io/serviceaccount"));
};

struct KubeAccess::Loaded
{
    std::optional<KubeAccess> access;
    QString error; // names the file, context, cluster or user, and what to do
};

// The current bearer token, re-read from its file when the file changes.
class KubeToken
{
public:
    explicit KubeToken(const KubeAccess &access);
    // Empty when there is no token (certificates or basic auth), or it cannot be read.
    QByteArray current(QString *error) const;

private:
    QString m_file;
    mutable std::mutex m_mutex;
    mutable QByteArray m_token;
    mutable QDateTime m_read;
};

} // namespace antibody
