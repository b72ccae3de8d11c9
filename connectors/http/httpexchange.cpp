#include "connectors/http/httpexchange.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace antibody {

bool HttpRequest::isIdempotent() const
{
    if (idempotent)
        return *idempotent;
    return method == Method::Get || method == Method::Put || method == Method::Delete;
}

QString HttpRequest::methodText(Method m)
{
    switch (m) {
    case Method::Get:
        return u"GET"_s;
    case Method::Post:
        return u"POST"_s;
    case Method::Put:
        return u"PUT"_s;
    case Method::Patch:
        return u"PATCH"_s;
    case Method::Delete:
        return u"DELETE"_s;
    }
    return {};
}

QUrl apiUrl(const QUrl &base, const QString &path, const QList<QPair<QString, QString>> &params)
{
    QUrl url = base;
    QString prefix = url.path();
    if (prefix.endsWith(u'/'))
        prefix.chop(1);
    url.setPath(prefix + path);
    QStringList parts;
    for (const auto &[key, value] : params)
        parts << QString::fromLatin1(QUrl::toPercentEncoding(key) + '=' + QUrl::toPercentEncoding(value));
    url.setQuery(parts.isEmpty() ? QString() : parts.join(u'&'), QUrl::StrictMode);
    return url;
}

HttpRequest HttpRequest::get(QUrl url)
{
    HttpRequest r;
    r.url = std::move(url);
    r.headers.append(qMakePair(QByteArray("Accept"), QByteArray("application/json")));
    return r;
}

HttpRequest HttpRequest::postJson(QUrl url, QByteArray json)
{
    HttpRequest r;
    r.method = Method::Post;
    r.url = std::move(url);
    r.body = std::move(json);
    r.headers.append(qMakePair(QByteArray("Content-Type"), QByteArray("application/json")));
    r.headers.append(qMakePair(QByteArray("Accept"), QByteArray("application/json")));
    return r;
}

} // namespace antibody
