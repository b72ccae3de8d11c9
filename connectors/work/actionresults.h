#pragma once

#include "engine/ports/actionexecutor.h"

namespace antibody::actionresults {

// The two ways a real executor says no, shared so each reads the same.
// The action ran, or tried to, and did not work: a failure of the fix.
inline ActionResult failed(QString error)
{
    ActionResult r;
    r.error = std::move(error);
    return r;
}

// The executor said no before touching anything (an unmapped service, a
// PodDisruptionBudget, a plan the world has left): not a failure of the fix; a human decides.
inline ActionResult refused(QString why)
{
    ActionResult r;
    r.blocked = true;
    r.error = std::move(why);
    return r;
}

} // namespace antibody::actionresults
