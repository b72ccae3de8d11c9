#include "connectors/notifiers/pagerdutynotifier.h"

#include "connectors/http/redaction.h"
#include "connectors/notifiers/notificationtext.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody {

PagerDutyNotifier::PagerDutyNotifier(PagerDutyConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_http(this, m_config.http, u"pagerduty"_s, 1)
{
}

QString PagerDutyNotifier::name() const
{
    return u"pagerduty"_s;
}

QString PagerDutyNotifier::severityOf(const QString &severity)
{
    if (severity == u"critical"_s)
        return u"critical"_s;
    if (severity == u"high"_s)
        return u"error"_s;
    if (severity == u"medium"_s || severity == u"low"_s)
        return u"warning"_s;
    return u"info"_s;
}

QUrl PagerDutyNotifier::urlFor(const Notification &n) const
{
    if (n.kind != Notification::Kind::Notify)
        return m_config.url;
    // Change events live next to the events endpoint: /v2/enqueue -> /v2/change/enqueue.
    QUrl url = m_config.url;
    QString path = url.path();
    path.replace(u"/v2/enqueue"_s, u"/v2/change/enqueue"_s);
    url.setPath(path);
    return url;
}

QJsonObject PagerDutyNotifier::eventFor(const Notification &n) const
{
    const QString routingKey = QString::fromUtf8(m_config.routingKey.reveal());
    QJsonObject details = boundedDetails(n.details, 400 * 1024);
    details.insert(u"incident"_s, n.incidentId);
    details.insert(u"service"_s, n.service);
    const QString summary = n.summary.left(1024); // PagerDuty's limit

    if (n.kind == Notification::Kind::Notify) {
        return { { u"routing_key"_s, routingKey },
            { u"payload"_s,
                QJsonObject {
                    { u"summary"_s, summary }, { u"source"_s, m_config.source }, { u"custom_details"_s, details } } } };
    }
    QJsonObject event { { u"routing_key"_s, routingKey }, { u"dedup_key"_s, n.dedupKey },
        { u"client"_s, u"Antibody"_s } };
    if (n.kind == Notification::Kind::Resolve) {
        event.insert(u"event_action"_s, u"resolve"_s);
        return event;
    }
    event.insert(u"event_action"_s, u"trigger"_s);
    event.insert(u"payload"_s,
        QJsonObject { { u"summary"_s, summary }, { u"source"_s, m_config.source },
            { u"severity"_s, severityOf(n.severity) }, { u"component"_s, n.service }, { u"class"_s, u"incident"_s },
            { u"custom_details"_s, details } });
    return event;
}

void PagerDutyNotifier::send(const Notification &notification, std::function<void(const NotifyResult &)> done)
{
    HttpRequest request = HttpRequest::postJson(
        urlFor(notification), QJsonDocument(eventFor(notification)).toJson(QJsonDocument::Compact));
    // With a dedup key, sending a trigger or resolve twice changes nothing: safe to retry.
    request.idempotent = notification.kind != Notification::Kind::Notify && !notification.dedupKey.isEmpty();
    const QString key = m_config.http.configKey;
    m_http.send(std::move(request), [done = std::move(done), key](HttpResponse response) {
        NotifyResult result;
        result.ok = response.ok();
        if (response.failure != HttpResponse::Failure::None) {
            result.error = response.error;
        } else if (!response.ok()) {
            // {"status":"invalid event","message":"Event object is invalid","errors":["..."]}
            const QJsonObject body = QJsonDocument::fromJson(response.body).object();
            QStringList errors;
            for (const QJsonValue &e : body.value(u"errors"_s).toArray())
                errors << e.toString().left(200);
            QString why = body.value(u"message"_s).toString().left(200);
            if (!errors.isEmpty())
                why += u": "_s + errors.join(u"; "_s);
            if (why.isEmpty())
                why = HttpClient::statusProblem(response, key);
            result.error = u"PagerDuty refused the event (HTTP %1): %2%3"_s.arg(response.status)
                               .arg(why,
                                   response.status == 400 || response.status == 404
                                       ? u"; check %1.routing_key_env or _file and %1.url"_s.arg(key)
                                       : QString());
        }
        done(result);
    });
}

} // namespace antibody
