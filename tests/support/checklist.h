#pragma once

#include "engine/pipeline/engine.h"

#include <optional>

namespace antibody::test {

// A runbook turned into a level 1 checklist on a running engine, for the tests of a
// requested run (docs/team.md, "Requesting a run"): its incidents' plans are shown only.
inline void makeChecklist(Engine &engine, const QString &runbook)
{
    QList<Runbook> runbooks = engine.runbooks();
    for (Runbook &r : runbooks) {
        if (r.name == runbook)
            r.level = 1;
    }
    engine.setRunbooks(runbooks);
}

// The pending, shown plan of an open incident of `runbook`, once there is one.
inline std::optional<Proposal> shownChecklist(const Engine &engine, const QString &runbook)
{
    for (const Incident &i : engine.incidents()) {
        if (i.runbook != runbook || isFinal(i.state))
            continue;
        const auto p = engine.proposal(i.proposalId);
        if (p && p->decision.mode == Mode::Show && p->state == Proposal::State::Pending)
            return p;
    }
    return std::nullopt;
}

} // namespace antibody::test
