#pragma once

#include "simulator/world/exportermetrics.h"

#include <QByteArray>
#include <QObject>
#include <QString>
#include <memory>

class QHttpServer;

namespace antibody::sim {
class World;
}

namespace antibody::ctl {

// `antibodyctl simulate --serve-metrics ADDR`: the simulated fleet as a Prometheus
// scrape target. GET /metrics answers the standard exporters' series of the fleet as
// it is now (sim::ExporterMetrics), in the text format; every other path is 404.
// The counters advance at each of the world's scrapes.
class FleetScrapeTarget : public QObject
{
    Q_OBJECT
public:
    explicit FleetScrapeTarget(sim::World &world, QObject *parent = nullptr);
    ~FleetScrapeTarget() override;

    // ADDR is HOST:PORT (127.0.0.1:9464, [::1]:9464, localhost:0); port 0 takes any free one.
    bool listen(const QString &address, QString *error);
    // http://HOST:PORT/metrics, with the port bound.
    QString url() const { return m_url; }
    // What GET /metrics answers now.
    QByteArray text() const;

private:
    sim::World &m_world;
    sim::ExporterMetrics m_metrics;
    std::unique_ptr<QHttpServer> m_http;
    QString m_url;
};

} // namespace antibody::ctl
