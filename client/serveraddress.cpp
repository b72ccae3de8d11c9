#include "client/serveraddress.h"

#include <QFile>
#include <QHostAddress>
#include <QSslCertificate>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

bool isLoopback(const QString &host)
{
    if (host == u"localhost"_s)
        return true;
    const QHostAddress address(host);
    return !address.isNull() && address.isLoopback();
}

} // namespace

std::optional<ServerAddress> ServerAddress::parse(const QString &text, const QString &caFile, QString *error)
{
    const QUrl url(text.trimmed(), QUrl::StrictMode);
    const QString example = u"wss://antibody.example.org:8443"_s;
    if (!url.isValid() || url.host().isEmpty()) {
        *error = u"--server '%1' is not a URL: give the team server's address, such as %2"_s.arg(text, example);
        return std::nullopt;
    }
    const QString scheme = url.scheme().toLower();
    if (scheme != u"wss"_s && scheme != u"ws"_s) {
        *error = u"--server '%1': the team server speaks WebSocket over TLS, so the URL starts with wss:// (such "
                 u"as %2)"_s.arg(text, example);
        return std::nullopt;
    }
    if (scheme == u"ws"_s && !isLoopback(url.host())) {
        *error = u"--server '%1': ws:// would send approvals in clear text; it is allowed only to a server on this "
                 u"machine (127.0.0.1). Use wss:// and, for a private CA, --ca-file"_s.arg(text);
        return std::nullopt;
    }
    ServerAddress out;
    out.url = url;
    out.url.setScheme(scheme);
    if (out.url.port() < 0)
        out.url.setPort(defaultPort);
    if (scheme == u"ws"_s) {
        if (!caFile.isEmpty()) {
            *error = u"--ca-file is for wss:// servers; '%1' is plain ws://"_s.arg(text);
            return std::nullopt;
        }
        return out;
    }
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    tls.setProtocol(QSsl::TlsV1_2OrLater);
    if (!caFile.isEmpty()) {
        QFile file(caFile);
        if (!file.open(QIODevice::ReadOnly)) {
            *error = u"--ca-file %1: cannot read it: %2"_s.arg(caFile, file.errorString());
            return std::nullopt;
        }
        const QList<QSslCertificate> trusted = QSslCertificate::fromData(file.readAll(), QSsl::Pem);
        if (trusted.isEmpty()) {
            *error = u"--ca-file %1 holds no PEM certificate (-----BEGIN CERTIFICATE-----): give the CA that signed "
                     u"the server's certificate, or the server's own for a self-signed one"_s.arg(caFile);
            return std::nullopt;
        }
        tls.setCaCertificates(tls.caCertificates() + trusted); // the system's CAs stay trusted
    }
    out.tls = tls;
    return out;
}

} // namespace antibody
