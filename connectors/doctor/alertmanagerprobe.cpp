#include "connectors/doctor/alertmanagerprobe.h"

#include "connectors/alertmanager/alertmanagerjson.h"
#include "connectors/doctor/probeoptions.h"
#include "connectors/http/curlsession.h"
#include "connectors/http/httpclient.h"
#include "connectors/http/redaction.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody {

AlertmanagerFacts probeAlertmanager(const AlertmanagerConfig &config, const Cancellation &cancellation)
{
    AlertmanagerFacts facts;
    const CurlSession session(probeOptions(config.http));
    const QString key = config.http.configKey;
    auto fetch = [&](const QString &path, QByteArray *body) {
        const QUrl url = apiUrl(config.url, path);
        const HttpResponse response = session.perform(HttpRequest::get(url), cancellation);
        facts.latency += response.elapsed;
        if (response.failure != HttpResponse::Failure::None) {
            facts.error = probeError(response, url);
            return false;
        }
        if (!response.ok()) {
            facts.error = u"GET %1: %2"_s.arg(redactedUrl(url), HttpClient::statusProblem(response, key));
            return false;
        }
        *body = response.body;
        return true;
    };
    QByteArray body;
    if (!fetch(u"/api/v2/status"_s, &body))
        return facts;
    QString error;
    const auto startedAt = alertmanagerjson::parseStartedAt(body, &error);
    if (!startedAt) {
        facts.error = u"GET %1: the answer is not Alertmanager's API v2 (%2): is %3.url the Alertmanager itself?"_s.arg(
            redactedUrl(apiUrl(config.url, u"/api/v2/status"_s)), error.left(200), key);
        return facts;
    }
    facts.version = QJsonDocument::fromJson(body)
                        .object()
                        .value(u"versionInfo"_s)
                        .toObject()
                        .value(u"version"_s)
                        .toString()
                        .left(40);
    if (!fetch(u"/api/v2/alerts"_s, &body))
        return facts;
    const alertmanagerjson::Alerts alerts = alertmanagerjson::parseAlerts(body);
    if (!alerts.ok) {
        facts.error = u"GET %1: the alerts are unreadable: %2"_s.arg(
            redactedUrl(apiUrl(config.url, u"/api/v2/alerts"_s)), alerts.error);
        return facts;
    }
    facts.reachable = true;
    for (const Alert &a : alerts.alerts) {
        if (!a.name.isEmpty() && !facts.alertNames.contains(a.name))
            facts.alertNames << a.name;
    }
    return facts;
}

} // namespace antibody
