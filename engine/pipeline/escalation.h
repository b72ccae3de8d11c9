#pragma once

#include <QJsonObject>
#include <QString>

namespace antibody {

struct EngineParts;
struct IncidentRecord;

// How an incident ends: resolved (the alert stopped, or the remediation worked), or
// escalated to a human with the diagnostics collected (paged unless already), or handed
// over to a human who said so (a denial, a cancellation). Each frees its problem for a
// new incident.
class Escalation
{
public:
    explicit Escalation(EngineParts &parts);

    void escalate(const QString &incidentId, const QString &reason, bool alreadyPaged);
    void resolve(const QString &incidentId, const QString &reason, const QJsonObject &extra = {});
    // Escalated without a page: a human already holds it.
    void handOver(IncidentRecord &record, const QString &reason);

private:
    EngineParts &m_parts;
};

} // namespace antibody
