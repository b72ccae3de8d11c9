#include "models/present/activitydigest.h"

#include "engine/pipeline/incidentid.h"
#include "models/present/humantime.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace antibody {
void ActivityDigest::noteIncident(const Incident &incident)
{
    Known &known = m_incidents[incident.id];
    known.service = incident.service;
    known.level = incident.level;
    known.detectedAt = incident.detectedAt;
}

std::optional<ActivityEntry> ActivityDigest::digest(const EngineEvent &event)
{
    using Kind = EngineEvent::Kind;
    const Known known = m_incidents.value(event.incidentId);
    ActivityEntry entry;
    entry.at = event.at;
    entry.incidentId = event.incidentId;
    entry.service = known.service;
    entry.detail = event.detail;

    switch (event.kind) {
    case Kind::Resolved: {
        if (const QString into = event.data.value(u"grouped_into"_s).toString(); !into.isEmpty()) {
            entry.kind = ActivityEntry::Kind::Grouped;
            entry.headline = tr("Grouped into %1: the same problem").arg(IncidentId::shortForm(into));
            return entry;
        }
        const QString took = formatAge(event.at - known.detectedAt);
        if (known.approvedBy.isEmpty()) {
            entry.kind = ActivityEntry::Kind::Healed;
            entry.headline = tr("Healed automatically in %1").arg(took);
        } else {
            entry.kind = ActivityEntry::Kind::Resolved;
            entry.headline = tr("Resolved in %1 after %2 approved").arg(took, known.approvedBy);
        }
        return entry;
    }
    case Kind::ApprovalRequested:
        entry.kind = ActivityEntry::Kind::WaitingApproval;
        entry.headline = tr("Waiting for approval");
        return entry;
    case Kind::Approved: {
        const QString approver = event.data.value(u"approver"_s).toString();
        m_incidents[event.incidentId].approvedBy = approver.isEmpty() ? tr("a human") : approver;
        entry.kind = ActivityEntry::Kind::Approved;
        entry.headline = approver.isEmpty() ? tr("Approved") : tr("Approved by %1").arg(approver);
        return entry;
    }
    case Kind::Denied: {
        const QString approver = event.data.value(u"approver"_s).toString();
        entry.kind = ActivityEntry::Kind::Denied;
        entry.headline = approver.isEmpty() ? tr("Denied") : tr("Denied by %1").arg(approver);
        return entry;
    }
    case Kind::Escalated:
        entry.kind = ActivityEntry::Kind::Escalated;
        entry.headline = tr("Escalated to on-call, diagnostics attached");
        return entry;
    case Kind::Paged:
        if (event.data.value(u"sent"_s).toBool(true)) {
            entry.kind = ActivityEntry::Kind::Paged;
            entry.headline = tr("Paged on-call");
        } else {
            entry.kind = ActivityEntry::Kind::NotPagedAgain;
            entry.headline = tr("Not paged again: on-call already has it");
        }
        return entry;
    case Kind::BreakerOpened:
        entry.kind = ActivityEntry::Kind::BreakerOpened;
        entry.headline = tr("Circuit breaker opened: automation halted");
        entry.service = event.data.value(u"type"_s).toString();
        return entry;
    case Kind::BreakerClosed:
    case Kind::BreakerReset:
        entry.kind = ActivityEntry::Kind::BreakerClosed;
        entry.headline = event.kind == Kind::BreakerReset ? tr("Circuit breaker reset") : tr("Circuit breaker closed");
        entry.service = event.data.value(u"type"_s).toString();
        return entry;
    case Kind::Interrupted:
        entry.kind = ActivityEntry::Kind::Interrupted;
        entry.headline = tr("Interrupted mid-execution: outcome unknown, not re-run");
        return entry;
    case Kind::Cancelled:
        entry.kind = ActivityEntry::Kind::Cancelled;
        entry.headline = tr("Cancelled");
        return entry;
    case Kind::FeedChanged:
        entry.kind = ActivityEntry::Kind::FeedChanged;
        entry.headline = tr("Monitoring feed changed");
        entry.service = event.data.value(u"feed"_s).toString();
        return entry;
    case Kind::RunbookRejected:
        entry.kind = ActivityEntry::Kind::RunbookRejected;
        entry.headline = tr("Runbook rejected");
        return entry;
    default:
        return std::nullopt;
    }
}

} // namespace antibody
