#include "connectors/certificates/certificatefile.h"

#include "engine/core/boundedfile.h"

#include <QSslCertificate>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// A full chain is a few kilobytes; a megabyte is something else.
constexpr qint64 maxPemBytes = 1024 * 1024;

QString nameOf(const QSslCertificate &c, bool issuer)
{
    const QStringList cn
        = issuer ? c.issuerInfo(QSslCertificate::CommonName) : c.subjectInfo(QSslCertificate::CommonName);
    if (!cn.isEmpty())
        return cn.join(u", "_s);
    return issuer ? c.issuerDisplayName() : c.subjectDisplayName();
}

} // namespace

double CertificateFile::secondsLeft(const QDateTime &now) const
{
    return double(now.msecsTo(notAfter)) / 1000.0;
}

QString CertificateFile::notAfterText() const
{
    return notAfter.toString(u"yyyy-MM-dd HH:mm 'UTC'"_s);
}

CertificateFile CertificateFile::read(const QString &path)
{
    CertificateFile out;
    out.path = path;
    const BoundedFile file = readBoundedFile(path, maxPemBytes);
    if (!file.error.isEmpty()) {
        out.error = file.error;
        return out;
    }
    if (file.tooLarge) {
        out.error = u"%1 is larger than 1 MiB; is it a PEM certificate?"_s.arg(path);
        return out;
    }
    const QList<QSslCertificate> chain = QSslCertificate::fromData(file.bytes, QSsl::Pem);
    if (chain.isEmpty() || chain.first().isNull()) {
        out.error = u"%1 holds no PEM certificate (expected -----BEGIN CERTIFICATE-----)"_s.arg(path);
        return out;
    }
    const QSslCertificate &leaf = chain.first();
    out.notAfter = leaf.expiryDate().toUTC();
    if (!out.notAfter.isValid()) {
        out.error = u"%1: the certificate has no readable expiry date"_s.arg(path);
        return out;
    }
    out.subject = nameOf(leaf, false);
    out.issuer = nameOf(leaf, true);
    return out;
}

} // namespace antibody
