#include "simulator/ports/simulatedalertsource.h"

#include "simulator/world/world.h"

#include <QPointer>

using namespace Qt::StringLiterals;

namespace antibody::sim {

SimulatedAlertSource::SimulatedAlertSource(World &world, QObject *parent)
    : AlertSource(parent)
    , m_world(world)
{
}

QString SimulatedAlertSource::name() const
{
    return u"simulator"_s;
}

void SimulatedAlertSource::start()
{
    if (m_started)
        return;
    m_started = true;
    m_connection = connect(&m_world, &World::alertsChanged, this, &AlertSource::alertsChanged);
    QPointer<SimulatedAlertSource> self(this);
    m_world.clock().callAfter(Duration { 0 }, [self] {
        if (!self || !self->m_started)
            return;
        FeedHealth health;
        health.feed = self->name();
        health.lastSuccess = self->m_world.now();
        Q_EMIT self->healthChanged(health);
        QList<AlertChange> firing;
        for (const Alert &a : self->m_world.firingAlerts())
            firing << AlertChange { AlertChange::Kind::Firing, a };
        if (!firing.isEmpty())
            Q_EMIT self->alertsChanged(firing);
    });
}

void SimulatedAlertSource::stop()
{
    m_started = false;
    disconnect(m_connection);
}

} // namespace antibody::sim
