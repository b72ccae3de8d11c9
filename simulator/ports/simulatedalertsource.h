#pragma once

#include "engine/ports/alertsource.h"

namespace antibody::sim {

class World;

// The world's alert rules as an AlertSource, the way Alertmanager's webhook
// would deliver them: new, changed and resolved alerts by fingerprint, each
// batch as the rules are evaluated. start() also reports what is already firing
// (through the clock, never inside the call) and a healthy feed.
class SimulatedAlertSource : public AlertSource
{
    Q_OBJECT
public:
    explicit SimulatedAlertSource(World &world, QObject *parent = nullptr);

    QString name() const override;
    void start() override;
    void stop() override;
    bool isStarted() const { return m_started; }

private:
    World &m_world;
    bool m_started = false;
    QMetaObject::Connection m_connection;
};

} // namespace antibody::sim
