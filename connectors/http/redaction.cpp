#include "connectors/http/redaction.h"

#include <QList>

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
    const QByteArray name = line.left(colon).trimmed().toLower();
    static const QList<QByteArray> secretHeaders { "authorization", "proxy-authorization", "cookie", "set-cookie",
        "x-api-key", "x-auth-token", "x-routing-key" };
    const bool secret = secretHeaders.contains(name) || name.contains("token") || name.contains("secret")
        || name.contains("password");
    if (!secret)
        return line;
    QByteArray out = line.left(colon + 1) + " [redacted]";
    if (line.endsWith("\r\n"))
        out += "\r\n";
    else if (line.endsWith('\n'))
        out += '\n';
    return out;
}

} // namespace antibody
