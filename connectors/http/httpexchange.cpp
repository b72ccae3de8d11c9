#include "connectors/http/httpexchange.h"

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
