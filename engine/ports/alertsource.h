#pragma once

#include "engine/ports/alert.h"

#include <QObject>

namespace antibody {

// Port: where firing alerts come from (the simulator, Alertmanager, ...).
// Lives on the engine's thread; signals are emitted there.
class AlertSource : public QObject
{
    Q_OBJECT
public:
    using QObject::QObject;
    ~AlertSource() override;

    virtual QString name() const = 0;
    virtual void start() = 0;
    virtual void stop() = 0;
    // Looks now instead of at the next poll: a push (Alertmanager's webhook) said
    // something changed. A source that is pushed to by nature ignores it.
    virtual void refresh() { }

Q_SIGNALS:
    // New, changed and resolved alerts, identified by fingerprint.
    void alertsChanged(const QList<antibody::AlertChange> &changes);
    void healthChanged(const antibody::FeedHealth &health);
};

} // namespace antibody
