#pragma once

#include "engine/runbook/conditioncheck.h"
#include "engine/runbook/nodereader.h"
#include "engine/runbook/stepreader.h"

#include <QHash>
#include <functional>
#include <optional>

namespace antibody {

// Turns a YAML tree into a Runbook: every key of the format, then the rules that span
// the whole runbook (duplicate steps, escalation and confidence for level 3+).
// Returns the runbook only when nothing in it is an error.
class RunbookReader
{
public:
    explicit RunbookReader(DiagnosticReport &report);

    std::optional<Runbook> read(const YamlNode &root);

private:
    bool readTrigger(const YamlNode &node, Trigger &trigger);
    bool readSymptoms(const YamlNode &node, Runbook &runbook);
    bool readSteps(const YamlNode &node, Runbook &runbook);
    bool readBreaker(const YamlNode &node, BreakerSpec &breaker);
    bool readGuards(const YamlNode &node, Runbook &runbook);
    std::optional<DrillSpec> readDrill(const YamlNode &node);
    bool checkLevelPolicy(const YamlNode &root, const Runbook &runbook, bool triggerOk, bool stepsOk);

    template <typename T>
    bool readKey(
        const YamlNode &map, QStringView key, T &field, const std::function<std::optional<T>(const YamlNode &)> &read);

    NodeReader m_reader;
    ConditionChecker m_conditions;
    StepReader m_steps;
    QHash<QString, qsizetype> m_stepPosition; // step name -> index in `steps:`
};

} // namespace antibody
