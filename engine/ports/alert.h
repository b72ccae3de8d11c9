#pragma once

#include "engine/core/labels.h"
#include "engine/core/time.h"

#include <QList>
#include <QString>
#include <optional>

namespace antibody {

// A firing alert as a source reports it.
struct Alert
{
    QString fingerprint; // stable identity from the source (Alertmanager's, or a hash of name + labels)
    QString name; // alertname
    Labels labels; // all labels, alertname included
    Labels annotations;
    TimePoint startsAt;
    TimePoint observedAt; // when the source last saw it firing
    QString source; // "simulator", "alertmanager", ...
    std::optional<double> value; // the value that crossed the threshold, when known

    QString service() const { return labels.value(QStringLiteral("service")); }
    QString severity() const { return labels.value(QStringLiteral("severity")); }
};

struct AlertChange
{
    enum class Kind { Firing, Updated, Resolved };
    Kind kind = Kind::Firing;
    Alert alert; // for Resolved, at least the fingerprint
};

// Health of one monitoring feed. Degraded or down feeds make the data they
// provide stale, and the freshness guardrail refuses to act on stale data.
struct FeedHealth
{
    enum class State { Healthy, Degraded, Down };
    QString feed; // "alertmanager http://127.0.0.1:19093"
    State state = State::Healthy;
    QString reason;
    TimePoint lastSuccess;
};

QString feedStateText(FeedHealth::State s);

} // namespace antibody
