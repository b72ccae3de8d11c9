#pragma once

#include <QJsonObject>
#include <QStringList>

namespace antibody {

class EngineCore;
class IncidentBook;
struct ExecutionRecord;
struct IncidentRecord;

// Pages and notices to people, through every notifier: one problem, one page (a
// second only when it grows more urgent), a notice after a self-heal, and the
// resolution of what was paged. Each outcome of a send lands in the audit trail.
class Paging
{
public:
    Paging(EngineCore &core, IncidentBook &book);

    void page(IncidentRecord &record, const QString &summary, const QString &severity, QJsonObject extra = {});
    // A step paged a human about the incident, at this severity.
    void notePaged(const QString &incidentId, const QString &severity);
    // The never-automate condition that opened the incident, once its diagnosis is in.
    void pageGuard(const QString &incidentId);
    // An execution a crash interrupted: what the store knows about it.
    void pageInterrupted(const ExecutionRecord &execution, const QString &summary, const QStringList &steps);
    void notifyAfter(
        const IncidentRecord &record, const QString &summary, const QString &severity = QStringLiteral("info"));
    void notifyResolved(const IncidentRecord &record, const QString &reason);

private:
    static bool saysSomethingNew(const QString &pagedSeverity, const QString &severity);

    EngineCore &m_core;
    IncidentBook &m_book;
};

} // namespace antibody
