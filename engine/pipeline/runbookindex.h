#pragma once

#include "engine/ports/alert.h"
#include "engine/runbook/runbook.h"

#include <QHash>
#include <QList>
#include <functional>

namespace antibody {

// Which runbook an alert belongs to, found through an index by alert name so
// that 10,000 alerts against hundreds of runbooks stay cheap. The most specific
// match wins: a named selector with more label matchers says more; ties go to
// the runbook name, so the choice is deterministic.
class RunbookIndex
{
public:
    void rebuild(const QList<Runbook> &runbooks);
    const Runbook *match(const Alert &alert) const;
    // The runbooks whose trigger matches the alert but whose `services:` leave its service out.
    QStringList passedOver(const Alert &alert) const;

private:
    struct Entry
    {
        const Runbook *runbook;
        const TriggerExpression *expression;
    };
    // Calls `visit` with each entry whose trigger matches the alert.
    void forEachMatch(const Alert &alert, const std::function<void(const Entry &)> &visit) const;

    QList<Runbook> m_runbooks;
    QHash<QString, QList<Entry>> m_byAlertName;
    QList<Entry> m_anyName; // selectors without a name: {guard=~"..."}
    QHash<QString, const Runbook *> m_byName;
};

} // namespace antibody
