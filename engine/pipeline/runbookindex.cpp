#include "engine/pipeline/runbookindex.h"

using namespace Qt::StringLiterals;

namespace antibody {

void RunbookIndex::rebuild(const QList<Runbook> &runbooks)
{
    m_runbooks = runbooks;
    m_byAlertName.clear();
    m_anyName.clear();
    m_byName.clear();
    for (const Runbook &rb : std::as_const(m_runbooks)) {
        m_byName.insert(rb.name, &rb);
        if (rb.trigger.isMetric())
            continue;
        for (const TriggerExpression &e : rb.trigger.expressions) {
            if (e.name.isEmpty())
                m_anyName << Entry { &rb, &e };
            else
                m_byAlertName[e.name] << Entry { &rb, &e };
        }
    }
}

void RunbookIndex::forEachMatch(const Alert &alert, const std::function<void(const Entry &)> &visit) const
{
    for (const Entry &entry : m_byAlertName.value(alert.name)) {
        if (entry.expression->matchesAlert(alert.name, alert.labels))
            visit(entry);
    }
    for (const Entry &entry : m_anyName) {
        if (entry.expression->matchesAlert(alert.name, alert.labels))
            visit(entry);
    }
}

const Runbook *RunbookIndex::match(const Alert &alert) const
{
    // Synthetic alerts from metric triggers name their runbook.
    if (alert.source == u"metric trigger") {
        const Runbook *named = m_byName.value(alert.labels.value(u"runbook"_s));
        return named && named->appliesTo(alert.service()) ? named : nullptr;
    }
    const Runbook *best = nullptr;
    int bestScore = -1;
    forEachMatch(alert, [&](const Entry &entry) {
        // The alert's labels are the sender's; which services a runbook takes is the runbook's.
        if (!entry.runbook->appliesTo(alert.service()))
            return;
        const int score = int(entry.expression->matchers.size()) + (entry.expression->name.isEmpty() ? 0 : 1);
        if (score > bestScore || (score == bestScore && best && entry.runbook->name < best->name)) {
            best = entry.runbook;
            bestScore = score;
        }
    });
    return best;
}

QStringList RunbookIndex::passedOver(const Alert &alert) const
{
    QStringList names;
    forEachMatch(alert, [&](const Entry &entry) {
        if (!entry.runbook->appliesTo(alert.service()) && !names.contains(entry.runbook->name))
            names << entry.runbook->name;
    });
    names.sort();
    return names;
}

} // namespace antibody
