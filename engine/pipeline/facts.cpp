#include "engine/pipeline/facts.h"

#include "engine/runbook/actioncatalog.h"

using namespace Qt::StringLiterals;

namespace antibody {

Condition::Facts factLookup(const Incident &incident)
{
    return [&incident](const QStringList &path) -> std::optional<QVariant> {
        if (path.size() == 2 && path.front() == u"alert") {
            // a missing label reads as empty text, as in label matchers
            return incident.labels.value(path.back());
        }
        const auto it = incident.facts.constFind(path.join(u'.'));
        if (it == incident.facts.constEnd())
            return std::nullopt;
        return *it;
    };
}

void recordStepFacts(Incident &incident, const QString &step, StepResult result, const QVariantMap &facts)
{
    // A timeout is a failure too: `<step>.failed` holds after either.
    for (StepResult r : factResults())
        incident.facts.insert(step + u'.' + stepResultText(r),
            r == result || (r == StepResult::Failed && result == StepResult::TimedOut));
    for (auto it = facts.constBegin(); it != facts.constEnd(); ++it)
        incident.facts.insert(step + u'.' + it.key(), it.value());
}

} // namespace antibody
