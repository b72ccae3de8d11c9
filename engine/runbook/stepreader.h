#pragma once

#include "engine/runbook/conditioncheck.h"
#include "engine/runbook/nodereader.h"
#include "engine/runbook/paramreader.h"

#include <optional>

namespace antibody {

// Reads one entry of `steps:`: its action and parameters, blast radius, condition,
// timeout and targets, with the per-step policy (tiers, blast radius on every
// mutating action).
class StepReader
{
public:
    StepReader(NodeReader &reader, ConditionChecker &conditions);

    // `earlier`: the steps before this one; `position`: every step name in the runbook
    // and its index. Fills `step` as far as it reads (later conditions may still refer
    // to a broken step) and returns whether it read without errors.
    bool read(const YamlNode &node, int index, const QList<Step> &earlier, const QHash<QString, qsizetype> &position,
        int level, Step &step);

private:
    void readAction(const YamlNode &node, Step &step, int level, bool &ok);
    std::optional<BlastRadiusSpec> readBlastRadius(const YamlNode &node, const Step &step, const ActionSpec *action);
    std::optional<TargetSelector> readTargets(const YamlNode &node, const Step &step);

    NodeReader &m_reader;
    ConditionChecker &m_conditions;
    ParamReader m_params;
};

} // namespace antibody
