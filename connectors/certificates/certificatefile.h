#pragma once

#include <QDateTime>
#include <QString>

namespace antibody {

// The certificate a server serves, as its PEM file says now: the first certificate of
// the file (the leaf, as in certbot's fullchain.pem). Read with a size cap, from
// regular files only, so a path naming a FIFO or a device never hangs the reader.
struct CertificateFile
{
    QString path;
    QString error; // set when unreadable or not a PEM certificate; names the path
    QDateTime notAfter; // UTC
    QString subject; // the common name, or the whole subject when it has none
    QString issuer;

    bool ok() const { return error.isEmpty(); }
    // Seconds of validity left at `now` (negative when expired).
    double secondsLeft(const QDateTime &now) const;
    QString notAfterText() const; // "2027-03-05 12:19 UTC"
    static CertificateFile read(const QString &path);
};

} // namespace antibody
