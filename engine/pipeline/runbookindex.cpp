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

const Runbook *RunbookIndex::match(const Alert &alert) const
{
    // Synthetic alerts from metric triggers name their runbook.
    if (alert.source == u"metric trigger")
        return m_byName.value(alert.labels.value(u"runbook"_s));
    const Runbook *best = nullptr;
    int bestScore = -1;
    auto consider = [&](const Entry &entry) {
        if (!entry.expression->matchesAlert(alert.name, alert.labels))
            return;
        const int score = int(entry.expression->matchers.size()) + (entry.expression->name.isEmpty() ? 0 : 1);
        if (score > bestScore || (score == bestScore && best && entry.runbook->name < best->name)) {
            best = entry.runbook;
            bestScore = score;
        }
    };
    for (const Entry &entry : m_byAlertName.value(alert.name))
        consider(entry);
    for (const Entry &entry : m_anyName)
        consider(entry);
    return best;
}

} // namespace antibody
