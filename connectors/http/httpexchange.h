#pragma once

#include "engine/core/time.h"

#include <QByteArray>
#include <QList>
#include <QPair>
#include <QString>
#include <QUrl>
#include <optional>

namespace antibody {

struct HttpRequest
{
    enum class Method { Get, Post, Put, Patch, Delete };

    Method method = Method::Get;
    QUrl url;
    QList<QPair<QByteArray, QByteArray>> headers;
    QByteArray body;
    // Safe to send twice. Defaults by method (GET, PUT, DELETE yes; POST, PATCH no);
    // a POST with a deduplication key (PagerDuty) may say yes.
    std::optional<bool> idempotent;

    bool isIdempotent() const;
    static QString methodText(Method m);

    static HttpRequest get(QUrl url);
    static HttpRequest postJson(QUrl url, QByteArray json);
};

// `base` with `path` appended to its own path (servers behind a prefix, such as
// https://ops.example/prometheus, keep it) and `params` percent-encoded by hand:
// QUrlQuery leaves '+' alone, and servers read it as a space.
QUrl apiUrl(const QUrl &base, const QString &path, const QList<QPair<QString, QString>> &params = {});

struct HttpResponse
{
    enum class Failure {
        None, // an HTTP response arrived (any status)
        Connect, // no connection: refused, unreachable, DNS
        Timeout, // connect or total timeout
        Tls, // certificate or handshake
        TooLarge, // the response exceeded maxResponseBytes
        Transfer, // the connection broke mid-way
        Refused, // a protocol or redirect the client does not follow
        Cancelled, // the connector is shutting down
    };

    Failure failure = Failure::None;
    int status = 0;
    QByteArray body;
    QByteArray contentType;
    QString error; // "GET http://127.0.0.1:19090/api/v1/query: ...": what, where and what to do
    int attempts = 0;
    Duration elapsed { 0 };
    std::optional<Duration> retryAfter;
    bool sentNothing = false; // the failure happened before any byte of the request left

    bool ok() const { return failure == Failure::None && status >= 200 && status < 300; }
};

} // namespace antibody
