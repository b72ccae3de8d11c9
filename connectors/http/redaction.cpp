#include "connectors/http/redaction.h"

#include "engine/store/redaction.h"

using namespace Qt::StringLiterals;

namespace antibody {

QString redactedUrl(const QUrl &url)
{
    if (!url.isValid())
        return u"(invalid URL)"_s;
    QUrl shown = url.adjusted(QUrl::RemoveUserInfo | QUrl::RemoveQuery | QUrl::RemoveFragment);
    QString text = shown.toString(QUrl::FullyEncoded);
    if (url.hasQuery())
        text += u"?..."_s;
    return text;
}

QString redactedUrl(const QUrl &url, bool hidePath)
{
    if (!hidePath || !url.isValid())
        return redactedUrl(url);
    return url.adjusted(QUrl::RemoveUserInfo | QUrl::RemovePath | QUrl::RemoveQuery | QUrl::RemoveFragment)
               .toString(QUrl::FullyEncoded)
        + u"/[redacted]"_s;
}

QByteArray redactedHeaderLine(const QByteArray &line)
{
    const int colon = line.indexOf(':');
    if (colon <= 0)
        return line;
    // The store's list of secret-looking names, not one of our own: a header the audit
    // trail would redact must not show in a trace either.
    if (!Redaction::isSecretKey(QString::fromLatin1(line.left(colon).trimmed())))
        return line;
    QByteArray out = line.left(colon + 1) + " [redacted]";
    if (line.endsWith("\r\n"))
        out += "\r\n";
    else if (line.endsWith('\n'))
        out += '\n';
    return out;
}

} // namespace antibody
