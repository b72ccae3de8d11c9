#include "engine/pipeline/standaside.h"

#include "engine/pipeline/engineparts.h"

using namespace Qt::StringLiterals;

namespace antibody {

StandAside::StandAside(EngineParts &parts)
    : m_parts(parts)
{
}

void StandAside::standAside(const Alert &alert, const IncidentOpening &opening)
{
    m_heldElsewhere.insert(alert.fingerprint, { alert, opening.heldBy });
    lookAgainLater(alert.fingerprint);
    if (m_asideFor.value(alert.fingerprint) == opening.heldBy)
        return; // said once per holder
    m_asideFor.insert(alert.fingerprint, opening.heldBy);
    EngineCore &core = m_parts.core;
    core.publish(core.event(EngineEvent::Kind::GuardrailBlocked, {},
        u"%1 on %2: %3; this engine stands aside and looks again every %4"_s.arg(alert.name,
            alert.service().isEmpty() ? u"the fleet"_s : alert.service(), opening.reason,
            formatDuration(core.settings().evaluationInterval)),
        { { u"held_by"_s, opening.heldBy }, { u"fingerprint"_s, alert.fingerprint } }));
}

bool StandAside::update(const Alert &alert)
{
    const auto held = m_heldElsewhere.find(alert.fingerprint);
    if (held == m_heldElsewhere.end())
        return false;
    held->first = alert;
    return true;
}

void StandAside::forget(const QString &fingerprint)
{
    m_heldElsewhere.remove(fingerprint);
    m_asideFor.remove(fingerprint);
}

void StandAside::lookAgainLater(const QString &fingerprint)
{
    EngineCore &core = m_parts.core;
    core.clock().callAfter(core.settings().evaluationInterval, core.guarded([this, fingerprint] {
        const auto it = m_heldElsewhere.constFind(fingerprint);
        if (it == m_heldElsewhere.constEnd())
            return; // resolved meanwhile
        const auto [alert, heldBy] = *it;
        m_heldElsewhere.erase(it);
        // Over there: handled, as this engine would have, and not this engine's to open
        // again while the same alert lingers (a later change of it is news, as here).
        if (m_parts.core.store().incidentEnded(heldBy)) {
            m_asideFor.remove(fingerprint);
            return;
        }
        // Still open: held by a live process (stand aside again), or by one that stopped
        // (the store hands the problem over).
        m_parts.intake.alertFiring(alert);
    }));
}

} // namespace antibody
