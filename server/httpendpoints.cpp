#include "server/httpendpoints.h"

#include "server/servermetrics.h"

#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

QHttpServerResponse plain(const QByteArray &text, QHttpServerResponse::StatusCode status)
{
    return QHttpServerResponse(QByteArrayLiteral("text/plain; charset=utf-8"), text, status);
}

} // namespace

HttpEndpoints::HttpEndpoints(ServerMetrics &metrics, Hooks hooks, QObject *parent)
    : QObject(parent)
    , m_metrics(metrics)
    , m_hooks(std::move(hooks))
    , m_http(std::make_unique<QHttpServer>())
{
    using Method = QHttpServerRequest::Method;
    using Status = QHttpServerResponse::StatusCode;
    m_http->route(u"/metrics"_s, Method::Get, [this] {
        return QHttpServerResponse(
            QByteArrayLiteral("text/plain; version=0.0.4; charset=utf-8"), m_metrics.text(), Status::Ok);
    });
    m_http->route(u"/healthz"_s, Method::Get, [] { return plain("ok\n", Status::Ok); });
    m_http->route(u"/readyz"_s, Method::Get, [this] {
        const QString why = m_hooks.notReady ? m_hooks.notReady() : QString();
        return why.isEmpty() ? plain("ready\n", Status::Ok) : plain(why.toUtf8() + '\n', Status::ServiceUnavailable);
    });
    m_http->route(u"/v1/alertmanager"_s, Method::Post, [this](const QHttpServerRequest &request) {
        int alerts = 0;
        const QString problem = webhookProblem(request.body(), &alerts);
        if (!problem.isEmpty()) {
            m_metrics.countWebhook(u"malformed"_s);
            return plain(problem.toUtf8() + '\n', Status::BadRequest);
        }
        m_metrics.countWebhook(u"accepted"_s);
        if (m_hooks.alertsPushed)
            m_hooks.alertsPushed();
        return QHttpServerResponse(QJsonObject { { u"accepted"_s, alerts } }, Status::Ok);
    });
}

HttpEndpoints::~HttpEndpoints() = default;

bool HttpEndpoints::listen(const QHostAddress &address, quint16 port, QString *error)
{
    m_port = m_http->listen(address, port);
    if (m_port == 0) {
        *error = u"cannot listen for HTTP on %1:%2 (in use, or not this machine's address)"_s.arg(address.toString())
                     .arg(port);
        return false;
    }
    return true;
}

QString HttpEndpoints::webhookProblem(const QByteArray &body, int *alerts)
{
    if (body.size() > maxWebhookBytes)
        return u"the body is %1 bytes; at most %2 are read"_s.arg(body.size()).arg(maxWebhookBytes);
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(body, &error);
    if (error.error != QJsonParseError::NoError)
        return u"not JSON at offset %1: %2"_s.arg(error.offset).arg(error.errorString());
    const QJsonObject message = document.object();
    if (!document.isObject() || message.value(u"version"_s).toString() != u"4"_s)
        return u"not an Alertmanager webhook message: expected an object with \"version\": \"4\""_s;
    if (!message.value(u"alerts"_s).isArray())
        return u"the message has no \"alerts\" array"_s;
    *alerts = static_cast<int>(message.value(u"alerts"_s).toArray().size());
    return {};
}

} // namespace antibody
