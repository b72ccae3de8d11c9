#pragma once

#include "connectors/config/configuration.h"
#include "connectors/http/curlsession.h"

#include <QMap>
#include <QStringList>
#include <optional>

namespace antibody {

// What `antibodyctl doctor` asks one Prometheus, blocking, one attempt a request
// (probeOptions): whether it answers as Prometheus, its rules, and how many series
// a selector has now. Every answer is checked; garbage is named as such.
class PrometheusProbe
{
public:
    PrometheusProbe(const PrometheusConfig &config, const Cancellation &cancellation);

    struct Server
    {
        bool reachable = false; // it answered /api/v1/status/buildinfo as Prometheus does
        QString error; // why not: what, where and what to do
        QString version;
        Duration latency { 0 };
        bool rulesRead = false;
        QString rulesError;
        QStringList alerting; // alerting rule names
        QMap<QString, QString> recording; // record name -> expression
    };
    Server server() const;

    // count(SELECTOR) now: the series with a sample in the last five minutes.
    struct Count
    {
        bool ok = false;
        qint64 series = 0;
        QString error;
    };
    Count seriesCount(const QString &selector) const;

    QString url() const;

private:
    bool get(const QString &path, const QList<QPair<QString, QString>> &params, QByteArray *body, QString *error,
        Duration *latency = nullptr) const;

    PrometheusConfig m_config;
    const Cancellation &m_cancellation;
    CurlSession m_session;
};

} // namespace antibody
