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

void recordStepFacts(Incident &incident, const QString &step, const QString &outcome, const QVariantMap &facts)
{
    for (const QString &o : ActionCatalog::outcomes())
        incident.facts.insert(step + u'.' + o, o == outcome || (o == u"failed" && outcome == u"timed_out"));
    for (auto it = facts.constBegin(); it != facts.constEnd(); ++it)
        incident.facts.insert(step + u'.' + it.key(), it.value());
}

} // namespace antibody
