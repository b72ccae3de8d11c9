#include "app/antibodyctl/fleetscrapetarget.h"

#include "app/antibodyctl/listenaddress.h"
#include "simulator/world/world.h"

#include <QDateTime>
#include <QHostAddress>
#include <QHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

FleetScrapeTarget::FleetScrapeTarget(sim::World &world, QObject *parent)
    : QObject(parent)
    , m_world(world)
    , m_http(std::make_unique<QHttpServer>())
{
    m_metrics.advance(m_world.fleet(), m_world.now());
    connect(&m_world, &sim::World::scraped, this, [this](TimePoint at) { m_metrics.advance(m_world.fleet(), at); });
    m_http->route(u"/metrics"_s, QHttpServerRequest::Method::Get, [this] {
        return QHttpServerResponse(QByteArray(Exposition::contentType), text(), QHttpServerResponse::StatusCode::Ok);
    });
}

FleetScrapeTarget::~FleetScrapeTarget() = default;

bool FleetScrapeTarget::listen(const QString &address, QString *error)
{
    const auto where = ListenAddress::parse(address);
    if (!where) {
        *error = u"--serve-metrics takes HOST:PORT, such as 127.0.0.1:9464 (port 0: any free port); got '%1'"_s.arg(
            address);
        return false;
    }
    const quint16 bound = m_http->listen(where->ip, where->port);
    if (bound == 0) {
        *error
            = u"cannot serve metrics on %1 (the port is in use, or the address is not this machine's)"_s.arg(address);
        return false;
    }
    m_url = u"http://%1:%2/metrics"_s.arg(where->urlHost()).arg(bound);
    return true;
}

QByteArray FleetScrapeTarget::text() const
{
    // The fleet's timestamps move to the wall clock the scraper's time() reads.
    const Duration wallOffset = Duration(QDateTime::currentMSecsSinceEpoch()) - m_world.now().time_since_epoch();
    return Exposition::render(m_metrics.families(m_world.fleet(), m_world.now(), wallOffset));
}

} // namespace antibody::ctl
