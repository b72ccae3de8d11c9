#include "app/antibodyctl/fakekubernetesendpoint.h"

#include "app/antibodyctl/listenaddress.h"
#include "engine/core/boundedfile.h"
#include "simulator/world/world.h"

#include <QDir>
#include <QFileInfo>
#include <QHttpServerRequest>
#include <QHttpServerResponder>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRandomGenerator>
#include <QSaveFile>
#include <QSslCertificate>
#include <QSslKey>
#include <QUrlQuery>
#include <array>

using namespace Qt::StringLiterals;

namespace antibody::ctl {
namespace {

QByteArray methodName(QHttpServerRequest::Method m)
{
    using M = QHttpServerRequest::Method;
    switch (m) {
    case M::Get:
        return "GET";
    case M::Put:
        return "PUT";
    case M::Delete:
        return "DELETE";
    case M::Post:
        return "POST";
    case M::Head:
        return "HEAD";
    case M::Options:
        return "OPTIONS";
    case M::Patch:
        return "PATCH";
    default:
        return "OTHER";
    }
}

// A YAML scalar that stays what it is whatever it holds: a JSON string is one.
QByteArray quoted(const QString &text)
{
    const QByteArray array = QJsonDocument(QJsonArray { text }).toJson(QJsonDocument::Compact);
    return array.mid(1, array.size() - 2);
}

QByteArray readPem(const QString &path, const char *what, QString *error)
{
    const BoundedFile f = readBoundedFile(path, 1024 * 1024);
    if (!f.ok())
        *error = u"%1 %2: %3"_s.arg(QString::fromLatin1(what), path, f.tooLarge ? u"larger than 1 MiB"_s : f.error);
    return f.ok() ? f.bytes : QByteArray();
}

} // namespace

FakeKubernetesEndpoint::FakeKubernetesEndpoint(sim::World &world, QObject *parent)
    : QAbstractHttpServer(parent)
    , m_world(world)
{
}

FakeKubernetesEndpoint::~FakeKubernetesEndpoint() = default;

bool FakeKubernetesEndpoint::start(const Options &o, QString *error)
{
    const auto where = ListenAddress::parse(o.address);
    if (!where) {
        *error = u"--serve-kubernetes takes HOST:PORT, such as 127.0.0.1:6443 (port 0: any free port); got '%1'"_s.arg(
            o.address);
        return false;
    }
    if (o.certFile.isEmpty() != o.keyFile.isEmpty()) {
        *error = u"--kube-tls-cert and --kube-tls-key go together: HTTPS needs both"_s;
        return false;
    }
    QByteArray token;
    if (!o.tokenFile.isEmpty()) {
        const BoundedFile f = readBoundedFile(o.tokenFile, 64 * 1024);
        token = f.bytes.trimmed();
        if (!f.ok() || token.isEmpty() || token.contains('\n')) {
            *error = u"--kube-token-file %1: %2"_s.arg(o.tokenFile,
                !f.error.isEmpty() ? f.error
                    : f.tooLarge   ? u"larger than 64 KiB; a token is one line"_s
                                   : u"it holds no token (one line, the bearer token clients send)"_s);
            return false;
        }
    } else {
        if (o.kubeconfig.isEmpty()) {
            *error = u"--serve-kubernetes needs --kube-token-file FILE or --write-kubeconfig FILE: otherwise no "
                     u"client can know the token it requires"_s;
            return false;
        }
        std::array<quint32, 8> random {}; // 256 bits from the system's generator
        QRandomGenerator::system()->fillRange(random.data(), random.size());
        token = QByteArray(reinterpret_cast<const char *>(random.data()), sizeof(random)).toHex();
    }
    if (!o.certFile.isEmpty()) {
        const QByteArray certPem = readPem(o.certFile, "--kube-tls-cert", error);
        const QByteArray keyPem = certPem.isEmpty() ? QByteArray() : readPem(o.keyFile, "--kube-tls-key", error);
        if (!error->isEmpty())
            return false;
        const QList<QSslCertificate> chain = QSslCertificate::fromData(certPem, QSsl::Pem);
        QSslKey key(keyPem, QSsl::Rsa, QSsl::Pem);
        if (key.isNull())
            key = QSslKey(keyPem, QSsl::Ec, QSsl::Pem);
        if (chain.isEmpty() || key.isNull()) {
            *error = chain.isEmpty() ? u"--kube-tls-cert %1: no PEM certificate in it"_s.arg(o.certFile)
                                     : u"--kube-tls-key %1: no unencrypted PEM RSA or EC key in it"_s.arg(o.keyFile);
            return false;
        }
        sslSetup(chain.first(), key);
    }
    m_api = std::make_unique<sim::FakeKubernetesApi>(m_world, token, m_wall);
    const quint16 bound = listen(where->ip, where->port);
    if (bound == 0) {
        *error = u"cannot serve the fake Kubernetes API on %1 (the port is in use, or the address is not this "
                 u"machine's)"_s.arg(o.address);
        return false;
    }
    m_url = u"%1://%2:%3"_s.arg(o.certFile.isEmpty() ? u"http"_s : u"https"_s, where->urlHost()).arg(bound);
    return o.kubeconfig.isEmpty() || writeKubeconfig(o, token, error);
}

bool FakeKubernetesEndpoint::writeKubeconfig(const Options &o, const QByteArray &token, QString *error) const
{
    const auto absolute = [](const QString &path) { return QFileInfo(path).absoluteFilePath(); };
    QByteArray text = "# A kubeconfig for the FAKE Kubernetes API of `antibodyctl simulate --serve-kubernetes`:\n"
                      "# the simulated fleet, not a cluster (docs/simulator.md).\n"
                      "apiVersion: v1\nkind: Config\nclusters:\n  - name: simulated-fleet\n    cluster:\n      server: "
        + quoted(m_url) + '\n';
    if (!o.certFile.isEmpty())
        text += "      certificate-authority: " + quoted(absolute(o.certFile)) + '\n';
    text += "contexts:\n  - name: simulated-fleet\n    context: { cluster: simulated-fleet, user: simulated-fleet, "
            "namespace: "
        + QByteArray(sim::FakeKubernetesApi::kubeNamespace)
        + " }\ncurrent-context: simulated-fleet\nusers:\n  - name: simulated-fleet\n    user:\n";
    text += o.tokenFile.isEmpty() ? "      token: " + quoted(QString::fromLatin1(token)) + '\n'
                                  : "      tokenFile: " + quoted(absolute(o.tokenFile)) + '\n';
    QSaveFile f(o.kubeconfig);
    // It may hold the token: readable by its owner only, from the first byte.
    if (!f.open(QIODevice::WriteOnly) || !f.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner)
        || f.write(text) != text.size() || !f.commit()) {
        *error = u"--write-kubeconfig %1: %2"_s.arg(o.kubeconfig, f.errorString());
        return false;
    }
    return true;
}

bool FakeKubernetesEndpoint::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    sim::KubeRequest r;
    r.method = methodName(request.method());
    r.path = request.url().path();
    r.labelSelector = request.query().queryItemValue(u"labelSelector"_s, QUrl::FullyDecoded);
    for (const auto &[name, value] : request.headers()) {
        if (name.compare("authorization", Qt::CaseInsensitive) == 0)
            r.authorization = value;
        else if (name.compare("content-type", Qt::CaseInsensitive) == 0)
            r.contentType = value;
    }
    r.body = request.body();
    const sim::KubeReply reply = m_api->handle(r);
    makeResponder(request, socket)
        .write(reply.body, { { "Content-Type", "application/json" } },
            static_cast<QHttpServerResponder::StatusCode>(reply.status));
    return true;
}

void FakeKubernetesEndpoint::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    // handleRequest answers every request; this is Qt's hook for those it would not.
    makeResponder(request, socket).write(QHttpServerResponder::StatusCode::NotFound);
}

} // namespace antibody::ctl
