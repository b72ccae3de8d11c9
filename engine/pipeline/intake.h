#pragma once

#include "engine/domain/incident.h"
#include "engine/ports/alert.h"

#include <QHash>

namespace antibody {

struct EngineParts;
struct IncidentRecord;
struct Runbook;

// Alerts in, incidents out. De-duplicates by fingerprint, groups the alerts of one
// problem (runbook + its group_by labels) into one incident, waits out a runbook's
// `for:`, matches runbooks, and keeps the never-automate guards that alerts raise.
class Intake
{
public:
    explicit Intake(EngineParts &parts);

    void onAlertChanges(const QList<AlertChange> &changes);
    void alertFiring(const Alert &alert);
    void alertResolved(const Alert &alert);
    // The never-automate guards raised now for the incident's service, onto the incident.
    void applyGuards(IncidentRecord &record) const;

    // A never-automate condition pages a human once its diagnosis is in, and no later than this.
    static constexpr Duration guardPageWithin { 30'000 };
    static constexpr qsizetype maxListedAlerts = 50; // alerts listed inside one incident, for people

private:
    void raiseGuard(Guard guard, const Alert &alert);
    bool waitsForItsFor(const Alert &alert, const Runbook *runbook);
    void openIncident(const Alert &alert, const Runbook *runbook);
    // Adds an alert to an incident (or its newer summary): the alerts inside it are listed for people.
    void joinAlert(IncidentRecord &record, const Alert &alert);
    void absorbSymptoms(IncidentRecord &cause);
    // "; <runbook> matches <alert> but its `services` do not list <service>", or empty.
    QString passedOverText(const Alert &alert) const;
    // One open incident per problem: its runbook (or alert name, without one) on one service.
    static QString problemKey(const Runbook *runbook, const Alert &alert);

    EngineParts &m_parts;
    QHash<QString, std::pair<Guard, QString>> m_guardAlerts; // fingerprint -> (guard, service)
    QHash<QString, Alert> m_pendingFor; // alerts waiting out their runbook's `for:`
};

} // namespace antibody
