#pragma once

#include "engine/core/labels.h"
#include "engine/core/time.h"
#include "engine/runbook/runbook.h"

#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace antibody {

enum class IncidentState {
    Open,
    Diagnosing,
    Proposed, // level 0-1: shown, nothing will run
    AwaitingApproval, // level 2, approve-tier steps, or guardrails asking for a human
    Executing,
    Verifying,
    Resolved,
    Escalated,
    Interrupted, // the process died while executing: outcome unknown, never re-run
};
QString incidentStateText(IncidentState s); // for people: "awaiting approval"
QString incidentStateId(IncidentState s); // stored and exported: "awaiting_approval"; never changes
std::optional<IncidentState> incidentStateFromId(QStringView id);
bool isFinal(IncidentState s);

struct Transition
{
    IncidentState state = IncidentState::Open;
    TimePoint at;
    QString reason; // one sentence a tired engineer understands
};

// The four conditions under which nothing is automated (docs/design.md, "Never-automate guards").
enum class Guard { DataCorruption, SecurityIncident, UnknownCascade, TransactionsInFlight };
QString guardName(Guard g); // data_corruption, ...
QString guardReason(Guard g); // why it stops automation
std::optional<Guard> guardFromName(QStringView name);

struct Incident
{
    QString id;
    QString title;
    QString service;
    QString severity;
    QString runbook; // empty: no runbook matched (level 0: alert only)
    int level = 0;
    Confidence confidence = Confidence::Medium;
    Labels labels; // of the alert that opened it
    Labels annotations;
    QStringList alertFingerprints;
    IncidentState state = IncidentState::Open;
    QList<Transition> history;
    TimePoint detectedAt;
    std::optional<TimePoint> resolvedAt;
    QJsonObject diagnostics; // the bundle: metric snapshots, target states, recent actions, findings
    QVariantMap facts; // "step.fact" -> value, for conditions
    QSet<Guard> guards; // never-automate guards holding for this incident's service
    QString proposalId; // the current proposal, if any
    bool alertsResolved = false;
};

} // namespace antibody
