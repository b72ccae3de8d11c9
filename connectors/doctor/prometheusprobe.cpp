#include "connectors/doctor/prometheusprobe.h"

#include "connectors/doctor/probeoptions.h"
#include "connectors/http/httpclient.h"
#include "connectors/http/redaction.h"
#include "connectors/prometheus/prometheusjson.h"

#include <QJsonDocument>
#include <QJsonObject>
#include <cmath>

using namespace Qt::StringLiterals;

namespace antibody {

PrometheusProbe::PrometheusProbe(const PrometheusConfig &config, const Cancellation &cancellation)
    : m_config(config)
    , m_cancellation(cancellation)
    , m_session(probeOptions(config.http))
{
}

QString PrometheusProbe::url() const
{
    return redactedUrl(m_config.url);
}

bool PrometheusProbe::get(const QString &path, const QList<QPair<QString, QString>> &params, QByteArray *body,
    QString *error, Duration *latency) const
{
    const QUrl url = apiUrl(m_config.url, path, params);
    const HttpResponse response = m_session.perform(HttpRequest::get(url), m_cancellation);
    if (latency)
        *latency = response.elapsed;
    if (response.failure != HttpResponse::Failure::None) {
        *error = probeError(response, url);
        return false;
    }
    *body = response.body;
    if (response.ok())
        return true;
    const QString apiError = prometheusjson::apiError(response.body);
    *error = u"GET %1: %2"_s.arg(redactedUrl(apiUrl(m_config.url, path)),
        apiError.isEmpty() ? HttpClient::statusProblem(response, m_config.http.configKey) : apiError);
    return false;
}

PrometheusProbe::Server PrometheusProbe::server() const
{
    Server s;
    QByteArray body;
    const QString buildInfo = u"/api/v1/status/buildinfo"_s;
    if (!get(buildInfo, {}, &body, &s.error, &s.latency))
        return s;
    const QJsonObject root = QJsonDocument::fromJson(body).object();
    const QJsonValue version = root.value(u"data"_s).toObject().value(u"version"_s);
    if (root.value(u"status"_s).toString() != u"success" || !version.isString()) {
        const QString start = QString::fromUtf8(body.left(60)).simplified();
        s.error = u"GET %1: the answer is not Prometheus's API (it starts \"%2\"): is %3.url the Prometheus server "
                  u"itself, not a proxy's or another service's page?"_s.arg(
                      redactedUrl(apiUrl(m_config.url, buildInfo)), start, m_config.http.configKey);
        return s;
    }
    s.reachable = true;
    s.version = version.toString().left(40);
    if (!get(u"/api/v1/rules"_s, {}, &body, &s.rulesError))
        return s;
    const prometheusjson::Rules rules = prometheusjson::parseRules(body);
    if (!rules.ok) {
        s.rulesError = u"GET %1: the rules are unreadable: %2"_s.arg(
            redactedUrl(apiUrl(m_config.url, u"/api/v1/rules"_s)), rules.error);
        return s;
    }
    s.rulesRead = true;
    s.alerting = rules.alerting;
    s.recording = rules.recording;
    return s;
}

PrometheusProbe::Count PrometheusProbe::seriesCount(const QString &selector) const
{
    Count c;
    QByteArray body;
    if (!get(u"/api/v1/query"_s, { { u"query"_s, u"count(%1)"_s.arg(selector) } }, &body, &c.error))
        return c;
    const prometheusjson::Instant instant = prometheusjson::parseInstant(body);
    if (!instant.ok) {
        c.error = u"GET %1: the answer to count(%2) is unusable: %3"_s.arg(url(), selector.left(200), instant.error);
        return c;
    }
    c.ok = true;
    if (!instant.samples.isEmpty() && std::isfinite(instant.samples.first().value))
        c.series = static_cast<qint64>(instant.samples.first().value);
    return c;
}

} // namespace antibody
