#pragma once

#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/diagnosticreport.h"
#include "engine/runbook/runbook.h"
#include "engine/runbook/yamlnode.h"

#include <QHash>
#include <QStringList>
#include <memory>

namespace antibody {

// What a condition may read: the steps it can see and which step it belongs to.
struct ConditionScope
{
    const QList<Step> &steps; // the runbook's steps read so far, in order
    const QHash<QString, qsizetype> &position; // every step name in the runbook -> its first index
    qsizetype visible = 0; // a step's condition: the steps before it; a guard: all
    QString ownStep; // empty for guards
};

// Parses conditions (`condition:`, a guard's `when:`) and checks every reference in
// them: `step.outcome`, `step.fact` of the step's action (catalog facts), `alert.label`,
// and that compared values fit the fact (`diagnose.cause == leek` is a typo).
class ConditionChecker
{
public:
    explicit ConditionChecker(DiagnosticReport &report);

    // nullptr when the condition does not parse or reads something that cannot exist.
    std::shared_ptr<const Condition> check(const YamlNode &node, const QString &what, const ConditionScope &scope);
    // A target filter (`where: cpu > 95%`): it reads target metrics, so only its syntax is checked.
    std::shared_ptr<const Condition> parse(const YamlNode &node, const QString &what);

private:
    bool checkLeaf(const Condition &leaf, const YamlNode &node, const QString &what, const ConditionScope &scope);
    bool checkLiteral(const Condition &leaf, const YamlNode &node, const QString &what, const FactSpec *fact);

    DiagnosticReport &m_report;
};

} // namespace antibody
