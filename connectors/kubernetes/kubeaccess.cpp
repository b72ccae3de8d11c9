#include "connectors/kubernetes/kubeaccess.h"

#include "engine/core/boundedfile.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <yaml-cpp/yaml.h>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QString text(const YAML::Node &map, const char *key)
{
    const YAML::Node n = map[key];
    return n.IsDefined() && n.IsScalar() ? QString::fromStdString(n.Scalar()) : QString();
}

// A named entry of a kubeconfig list: clusters, contexts, users.
YAML::Node named(const YAML::Node &list, const QString &name, const char *inner)
{
    if (!list.IsSequence())
        return YAML::Node(YAML::NodeType::Undefined);
    for (const YAML::Node &item : list) {
        if (item.IsMap() && text(item, "name") == name)
            return item[inner];
    }
    return YAML::Node(YAML::NodeType::Undefined);
}

QByteArray readFile(const QString &path, QString *error)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly)) {
        *error = u"cannot read %1 (%2)"_s.arg(path, f.errorString());
        return {};
    }
    return f.read(1024 * 1024).trimmed();
}

} // namespace

KubeAccess::Loaded KubeAccess::fromKubeconfig(const QString &path, const QString &wantedContext)
{
    Loaded out;
    const QString where = u"kubeconfig %1"_s.arg(path);
    // Kubeconfigs embed certificates, so they are larger than most configuration, but
    // never megabytes: 4 MiB, and only a regular file (a FIFO would block the read).
    const BoundedFile file = readBoundedFile(path, 4 * 1024 * 1024);
    if (!file.error.isEmpty() || file.tooLarge) {
        out.error = u"%1: %2"_s.arg(where, file.tooLarge ? u"larger than 4 MiB; is it a kubeconfig?"_s : file.error);
        return out;
    }
    YAML::Node root;
    try {
        root = YAML::Load(file.bytes.toStdString());
    } catch (const YAML::Exception &e) {
        out.error = u"%1: cannot read it as YAML: %2"_s.arg(where, QString::fromStdString(e.msg));
        return out;
    }
    if (!root.IsMap()) {
        out.error = u"%1: not a kubeconfig (expected clusters, contexts and users)"_s.arg(where);
        return out;
    }
    const QDir base = QFileInfo(path).absoluteDir();
    auto resolve = [&](const QString &p) { return p.isEmpty() ? p : QDir::cleanPath(base.absoluteFilePath(p)); };
    try {
        const QString contextName = wantedContext.isEmpty() ? text(root, "current-context") : wantedContext;
        if (contextName.isEmpty()) {
            out.error = u"%1: no current-context; set executors.kubernetes.context"_s.arg(where);
            return out;
        }
        const YAML::Node context = named(root["contexts"], contextName, "context");
        if (!context.IsMap()) {
            out.error = u"%1: no context named '%2'"_s.arg(where, contextName);
            return out;
        }
        const QString clusterName = text(context, "cluster");
        const QString userName = text(context, "user");
        const YAML::Node cluster = named(root["clusters"], clusterName, "cluster");
        if (!cluster.IsMap()) {
            out.error
                = u"%1: context '%2' names cluster '%3', which is not there"_s.arg(where, contextName, clusterName);
            return out;
        }
        KubeAccess a;
        a.ns = text(context, "namespace");
        a.describe = u"context %1 (cluster %2, user %3)"_s.arg(contextName, clusterName, userName);
        a.server = QUrl(text(cluster, "server"));
        if (!a.server.isValid() || (a.server.scheme() != u"https"_s && a.server.scheme() != u"http"_s)
            || a.server.host().isEmpty()) {
            out.error = u"%1: cluster '%2' has no usable server URL"_s.arg(where, clusterName);
            return out;
        }
        a.tls.caFile = resolve(text(cluster, "certificate-authority"));
        a.tls.caPem = QByteArray::fromBase64(text(cluster, "certificate-authority-data").toLatin1());
        a.tls.insecureSkipVerify = text(cluster, "insecure-skip-tls-verify") == u"true"_s;

        const YAML::Node user = named(root["users"], userName, "user");
        if (!userName.isEmpty() && !user.IsMap()) {
            out.error = u"%1: context '%2' names user '%3', which is not there"_s.arg(where, contextName, userName);
            return out;
        }
        if (user.IsMap()) {
            if (user["exec"].IsDefined() || user["auth-provider"].IsDefined()) {
                out.error
                    = u"%1: user '%2' logs in through a credential plugin, which Antibody does not run; give it a "
                      u"service-account token (token or tokenFile) or a client certificate"_s.arg(where, userName);
                return out;
            }
            a.tls.clientCertFile = resolve(text(user, "client-certificate"));
            a.tls.clientCertPem = QByteArray::fromBase64(text(user, "client-certificate-data").toLatin1());
            a.tls.clientKeyFile = resolve(text(user, "client-key"));
            a.tls.clientKeyPem = Secret(QByteArray::fromBase64(text(user, "client-key-data").toLatin1()));
            if (const QString token = text(user, "token"); !token.isEmpty()) {
                a.auth.kind = HttpAuth::Kind::Bearer;
                a.auth.secret = Secret(token.toUtf8());
            }
            a.tokenFile = resolve(text(user, "tokenFile"));
            if (const QString username = text(user, "username"); !username.isEmpty()) {
                a.auth.kind = HttpAuth::Kind::Basic;
                a.auth.username = username;
                a.auth.secret = Secret(text(user, "password").toUtf8());
            }
        }
        out.access = a;
    } catch (const YAML::Exception &e) {
        out.error = u"%1: %2"_s.arg(where, QString::fromStdString(e.msg));
    }
    return out;
}

KubeAccess::Loaded KubeAccess::inCluster(const QString &root)
{
    Loaded out;
    const QString host = qEnvironmentVariable("KUBERNETES_SERVICE_HOST");
    const QString port = qEnvironmentVariable("KUBERNETES_SERVICE_PORT", u"443"_s);
    if (host.isEmpty()) {
        out.error = u"executors.kubernetes.in_cluster: KUBERNETES_SERVICE_HOST is not set; this does not run in a pod. "
                    u"Use kubeconfig: PATH instead"_s;
        return out;
    }
    KubeAccess a;
    a.server = QUrl(u"https://%1:%2"_s.arg(host.contains(u':') ? u'[' + host + u']' : host, port));
    a.tls.caFile = root + u"/ca.crt"_s;
    a.tokenFile = root + u"/token"_s;
    a.describe = u"in-cluster service account"_s;
    QString error;
    a.ns = QString::fromUtf8(readFile(root + u"/namespace"_s, &error));
    if (!QFileInfo::exists(a.tokenFile)) {
        out.error = u"executors.kubernetes.in_cluster: no service-account token at %1"_s.arg(a.tokenFile);
        return out;
    }
    out.access = a;
    return out;
}

KubeToken::KubeToken(const KubeAccess &access)
    : m_file(access.tokenFile)
{
}

QByteArray KubeToken::current(QString *error) const
{
    if (m_file.isEmpty())
        return {};
    std::lock_guard lock(m_mutex);
    const QDateTime modified = QFileInfo(m_file).lastModified();
    if (m_token.isEmpty() || modified != m_read) {
        QString why;
        const QByteArray token = readFile(m_file, &why);
        if (token.isEmpty()) {
            *error = why.isEmpty() ? u"the token file %1 is empty"_s.arg(m_file) : why;
            return m_token; // the last good token, if any
        }
        m_token = token;
        m_read = modified;
    }
    return m_token;
}

} // namespace antibody
