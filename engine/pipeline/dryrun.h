#pragma once

#include "engine/core/labels.h"
#include "engine/domain/proposal.h"
#include "engine/runbook/runbook.h"

#include <functional>

namespace antibody {

struct EngineParts;

// A dry run: the proposal a runbook would make against the world as it is, with
// guardrails and mode. It reads (diagnosis steps are read-only) and never changes
// anything, stores nothing and publishes no event.
class DryRun
{
public:
    static void start(EngineParts &parts, const Runbook &runbook, const Labels &alertLabels,
        std::function<void(const Proposal &)> done);
};

} // namespace antibody
