#pragma once

#include "engine/ports/store.h"
#include "engine/runbook/runbook.h"

#include <QHash>

namespace antibody {

// Per remediation type (a runbook): N failures within a window open the
// breaker; open means no automation of that type; after the cool-off it is
// half-open and one automated attempt may try; success closes it, failure opens
// it again. A human may reset it at any time (and that is audited). Why, and the
// numbers: docs/design.md, "Circuit breaker".
class CircuitBreakers
{
public:
    struct Transition
    {
        BreakerState state;
        bool changed = false; // the state differs from before the call
    };

    void restore(const QList<BreakerState> &states);

    // The state at `now`: an open breaker whose cool-off has passed reads as half-open.
    BreakerState state(const QString &type, const BreakerSpec &spec, TimePoint now) const;
    Transition advance(const QString &type, const BreakerSpec &spec, TimePoint now);

    Transition recordFailure(const QString &type, const BreakerSpec &spec, TimePoint now, const QString &reason);
    Transition recordSuccess(const QString &type, TimePoint now);
    Transition reset(const QString &type, const QString &who);

    QList<BreakerState> all() const { return m_states.values(); }

private:
    static void prune(BreakerState &s, const BreakerSpec &spec, TimePoint now);
    QHash<QString, BreakerState> m_states;
};

} // namespace antibody
