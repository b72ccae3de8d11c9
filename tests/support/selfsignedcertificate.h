#pragma once

#include <QFile>
#include <QProcess>
#include <QString>
#include <QTemporaryDir>

namespace antibody::test {

using namespace Qt::StringLiterals;

// A throwaway certificate for 127.0.0.1 from the openssl tool, kept for the test's life.
struct SelfSignedCertificate
{
    QTemporaryDir dir;
    QByteArray certPem;
    QByteArray keyPem;
    QString error;

    SelfSignedCertificate()
    {
        QProcess openssl;
        openssl.start(u"openssl"_s,
            { u"req"_s, u"-x509"_s, u"-newkey"_s, u"rsa:2048"_s, u"-nodes"_s, u"-days"_s, u"1"_s, u"-subj"_s,
                u"/CN=127.0.0.1"_s, u"-addext"_s, u"subjectAltName=IP:127.0.0.1"_s, u"-keyout"_s, keyFile(), u"-out"_s,
                certFile() });
        if (!openssl.waitForFinished(30'000) || openssl.exitCode() != 0) {
            error = QString::fromUtf8(openssl.readAllStandardError());
            return;
        }
        QFile cert(certFile()), key(keyFile());
        if (!cert.open(QIODevice::ReadOnly) || !key.open(QIODevice::ReadOnly)) {
            error = u"cannot read what openssl wrote"_s;
            return;
        }
        certPem = cert.readAll();
        keyPem = key.readAll();
    }
    bool ok() const { return error.isEmpty() && !certPem.isEmpty(); }
    QString certFile() const { return dir.filePath(u"cert.pem"_s); }
    QString keyFile() const { return dir.filePath(u"key.pem"_s); }
};

} // namespace antibody::test
