#include "connectors/notifiers/webhooknotifier.h"

#include "connectors/notifiers/notificationtext.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody {

WebhookNotifier::WebhookNotifier(WebhookConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_http(this, m_config.http, u"webhook "_s + m_config.name, 1)
{
}

QString WebhookNotifier::name() const
{
    return m_config.name;
}

QJsonObject WebhookNotifier::bodyFor(const Notification &n)
{
    return { { u"text"_s, notificationLine(n) }, { u"kind"_s, notificationKind(n) }, { u"severity"_s, n.severity },
        { u"summary"_s, n.summary }, { u"incident"_s, n.incidentId }, { u"service"_s, n.service },
        { u"dedup_key"_s, n.dedupKey }, { u"details"_s, boundedDetails(n.details, 256 * 1024) } };
}

void WebhookNotifier::send(const Notification &notification, std::function<void(const NotifyResult &)> done)
{
    HttpRequest request
        = HttpRequest::postJson(m_config.url, QJsonDocument(bodyFor(notification)).toJson(QJsonDocument::Compact));
    const QString key = m_config.http.configKey;
    m_http.send(std::move(request), [done = std::move(done), key](HttpResponse response) {
        NotifyResult result;
        result.ok = response.ok();
        if (!result.ok)
            result.error = response.failure != HttpResponse::Failure::None
                ? response.error
                : u"the webhook answered %1"_s.arg(HttpClient::statusProblem(response, key));
        done(result);
    });
}

} // namespace antibody
