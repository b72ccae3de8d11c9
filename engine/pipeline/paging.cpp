#include "engine/pipeline/paging.h"

#include "engine/core/severity.h"
#include "engine/pipeline/enginecore.h"
#include "engine/pipeline/incidentbook.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {

Paging::Paging(EngineCore &core, IncidentBook &book)
    : m_core(core)
    , m_book(book)
{
}

bool Paging::saysSomethingNew(const QString &pagedSeverity, const QString &severity)
{
    return pagedSeverity.isEmpty() || severityRank(severity) < severityRank(pagedSeverity);
}

void Paging::notePaged(const QString &incidentId, const QString &severity)
{
    IncidentRecord *r = m_book.find(incidentId);
    if (r && saysSomethingNew(r->pagedSeverity, severity))
        r->pagedSeverity = severity;
}

void Paging::page(IncidentRecord &r, const QString &summary, const QString &severity, QJsonObject extra)
{
    const QString incidentId = r.incident.id;
    if (!saysSomethingNew(r.pagedSeverity, severity)) {
        // One problem, one page (and one more only when it grows more urgent): the
        // person already paged has the incident open; a second page only wakes them twice.
        m_core.publish(m_core.event(EngineEvent::Kind::Paged, incidentId,
            u"not paged again (already paged about %1 at %2 severity): %3"_s.arg(incidentId, r.pagedSeverity, summary),
            { { u"sent"_s, false } }));
        return;
    }
    Notification n;
    n.kind = Notification::Kind::Page;
    n.dedupKey = incidentId;
    n.incidentId = incidentId;
    n.service = r.incident.service;
    n.severity = severity;
    n.summary = u"%1: %2"_s.arg(r.incident.title, summary);
    n.details = r.incident.diagnostics;
    n.details.insert(u"facts"_s, QJsonObject::fromVariantMap(r.incident.facts));
    for (auto it = extra.constBegin(); it != extra.constEnd(); ++it)
        n.details.insert(it.key(), it.value());
    r.pagedSeverity = severity;
    if (m_core.notifiers().isEmpty()) {
        m_core.publish(m_core.event(EngineEvent::Kind::Escalated, incidentId,
            u"no notifier is configured: nobody could be paged about: %1"_s.arg(summary)));
        return;
    }
    for (Notifier *notifier : m_core.notifiers()) {
        notifier->send(n, m_core.guarded([this, incidentId, name = notifier->name(), summary](const NotifyResult &res) {
            m_core.publish(m_core.event(EngineEvent::Kind::Paged, incidentId,
                res.ok ? u"paged via %1 with the diagnostics: %2"_s.arg(name, summary)
                       : u"page via %1 FAILED (%2): %3"_s.arg(name, res.error, summary),
                { { u"notifier"_s, name }, { u"ok"_s, res.ok } }));
        }));
    }
}

void Paging::pageGuard(const QString &incidentId)
{
    IncidentRecord *r = m_book.find(incidentId);
    const auto guard = r ? guardFromName(r->incident.labels.value(u"guard"_s)) : std::nullopt;
    if (!guard || !r->pagedSeverity.isEmpty() || isFinal(r->incident.state))
        return;
    page(*r,
        u"never-automate condition (%1): %2; nothing is changed automatically"_s.arg(
            guardName(*guard), guardReason(*guard)),
        u"critical"_s);
}

void Paging::pageInterrupted(const ExecutionRecord &x, const QString &summary, const QStringList &steps)
{
    Notification n;
    n.kind = Notification::Kind::Page;
    n.dedupKey = x.incidentId;
    n.incidentId = x.incidentId;
    n.severity = u"high"_s;
    n.summary = summary;
    n.details = QJsonObject { { u"execution"_s, x.id }, { u"executor"_s, x.executor },
        { u"steps"_s, QJsonArray::fromStringList(steps) } };
    for (Notifier *notifier : m_core.notifiers())
        notifier->send(n, [](const NotifyResult &) {});
}

void Paging::notifyAfter(const IncidentRecord &r, const QString &summary, const QString &severity)
{
    Notification n;
    n.kind = Notification::Kind::Notify;
    n.dedupKey = r.incident.id;
    n.incidentId = r.incident.id;
    n.service = r.incident.service;
    n.severity = severity;
    n.summary = summary;
    n.details = QJsonObject { { u"tried"_s, r.incident.diagnostics.value(u"tried"_s) } };
    const QString incidentId = r.incident.id;
    for (Notifier *notifier : m_core.notifiers()) {
        notifier->send(n, m_core.guarded([this, incidentId, name = notifier->name(), summary](const NotifyResult &res) {
            m_core.publish(m_core.event(EngineEvent::Kind::Notified, incidentId,
                res.ok ? u"%1 (via %2)"_s.arg(summary, name) : u"notice via %1 FAILED (%2)"_s.arg(name, res.error),
                { { u"notifier"_s, name } }));
        }));
    }
}

void Paging::notifyResolved(const IncidentRecord &r, const QString &reason)
{
    if (r.pagedSeverity.isEmpty())
        return; // nobody was paged: nobody waits to hear it is over
    Notification n;
    n.kind = Notification::Kind::Resolve;
    n.dedupKey = r.incident.id;
    n.incidentId = r.incident.id;
    n.service = r.incident.service;
    n.summary = u"resolved: %1"_s.arg(reason);
    for (Notifier *notifier : m_core.notifiers())
        notifier->send(n, [](const NotifyResult &) {});
}

} // namespace antibody
