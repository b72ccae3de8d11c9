// Intake: alerts in, incidents out. De-duplicates by fingerprint, groups alerts
// of one problem (runbook + service) into one incident, matches runbooks, and
// keeps the never-automate guards that alerts raise.
#include "engine/pipeline/enginestate.h"

#include <QCryptographicHash>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody {

void EngineState::onAlertChanges(const QList<AlertChange> &changes)
{
    for (const AlertChange &c : changes) {
        if (c.kind == AlertChange::Kind::Resolved)
            alertResolved(c.alert);
        else
            alertFiring(c.alert);
    }
}

const Runbook *EngineState::matchRunbook(const Alert &alert) const
{
    return m_index.match(alert);
}

void EngineState::applyGuards(IncidentRecord &r)
{
    QSet<Guard> guards;
    for (const auto &[guard, service] : std::as_const(m_guardAlerts)) {
        if (service.isEmpty() || service == r.incident.service)
            guards.insert(guard);
    }
    r.incident.guards = guards;
}

void EngineState::alertFiring(const Alert &alert)
{
    if (const auto g = guardFromName(alert.labels.value(u"guard"_s))) {
        const bool fresh = !m_guardAlerts.contains(alert.fingerprint);
        m_guardAlerts.insert(alert.fingerprint, { *g, alert.service() });
        if (fresh) {
            for (IncidentRecord &r : m_incidents) {
                if (isFinal(r.incident.state))
                    continue;
                const bool had = r.incident.guards.contains(*g);
                applyGuards(r);
                if (!had && r.incident.guards.contains(*g)) {
                    saveIncident(r);
                    publish(event(EngineEvent::Kind::GuardrailBlocked, r.incident.id,
                        u"%1 raised on %2: %3"_s.arg(guardName(*g), alert.service().isEmpty() ? u"every service"_s : alert.service(), guardReason(*g)),
                        { { u"guard"_s, guardName(*g) } }));
                }
            }
        }
    }

    if (const auto it = m_incidentByFingerprint.constFind(alert.fingerprint); it != m_incidentByFingerprint.constEnd()) {
        // The same alert again: de-duplicated, also into an incident escalated to a human
        // whom the engine cannot help any more (a never-automate guard holds, or the
        // remediation's breaker is open) while that alert has not stopped firing: a new
        // incident per update would page them again, every few seconds, for what they
        // are already looking at. An alert that resolved and fires again is news.
        if (IncidentRecord *r = record(*it); r
            && (!isFinal(r->incident.state)
                || (handedToAHuman(*r) && r->incident.alertFingerprints.contains(alert.fingerprint))))
            return;
    }
    const Runbook *rb = matchRunbook(alert);
    if (rb && rb->trigger.forDuration.count() > 0 && !rb->trigger.isMetric()) {
        const TimePoint due = alert.startsAt + rb->trigger.forDuration;
        if (m_ports.clock->now() < due) {
            const bool scheduled = m_pendingFor.contains(alert.fingerprint);
            m_pendingFor.insert(alert.fingerprint, alert);
            if (!scheduled) {
                m_ports.clock->callAt(due, [this, fp = alert.fingerprint] {
                    const auto pending = m_pendingFor.take(fp);
                    if (!pending.fingerprint.isEmpty())
                        alertFiring(pending);
                });
            }
            return;
        }
    }
    m_pendingFor.remove(alert.fingerprint);
    const QString key = problemKey(rb ? rb->name : QString(), alert.name, alert.service());
    if (const auto open = m_openIncidentByKey.constFind(key); open != m_openIncidentByKey.constEnd()) {
        if (IncidentRecord *r = record(*open); r && !isFinal(r->incident.state)) {
            // Another alert of the same problem joins its incident.
            r->incident.alertFingerprints << alert.fingerprint;
            r->incident.alertsResolved = false;
            m_incidentByFingerprint.insert(alert.fingerprint, r->incident.id);
            saveIncident(*r);
            m_ports.store->saveAlert(r->incident.id, alert);
            return;
        }
    }
    openIncident(alert, rb);
}

bool EngineState::handedToAHuman(const IncidentRecord &r) const
{
    if (r.incident.state != IncidentState::Escalated)
        return false;
    if (!r.incident.guards.isEmpty())
        return true;
    return !r.runbook.name.isEmpty()
        && m_breakers.state(r.runbook.name, r.runbook.breaker, m_ports.clock->now()).state == BreakerState::State::Open;
}

void EngineState::openIncident(const Alert &alert, const Runbook *rb)
{
    const TimePoint now = m_ports.clock->now();
    IncidentRecord r;
    Incident &inc = r.incident;
    const QByteArray seed = (alert.fingerprint + u'|' + QString::number(toMillis(now))).toUtf8();
    inc.id = u"INC-"_s + QString::fromLatin1(QCryptographicHash::hash(seed, QCryptographicHash::Sha1).toHex().left(6));
    inc.service = alert.service();
    inc.severity = alert.severity().isEmpty() ? u"warning"_s : alert.severity();
    const QString summary = alert.annotations.value(u"summary"_s);
    inc.title = summary.isEmpty() ? u"%1 on %2"_s.arg(alert.name, inc.service.isEmpty() ? u"the fleet"_s : inc.service) : summary;
    inc.labels = alert.labels;
    inc.annotations = alert.annotations;
    inc.alertFingerprints << alert.fingerprint;
    inc.detectedAt = now;
    if (rb) {
        r.runbook = *rb;
        inc.runbook = rb->name;
        inc.level = levelOf(*rb);
        inc.confidence = rb->trigger.confidence;
    }
    QJsonObject labels;
    for (auto it = alert.labels.constBegin(); it != alert.labels.constEnd(); ++it)
        labels.insert(it.key(), it.value());
    inc.diagnostics.insert(u"alert"_s, QJsonObject { { u"name"_s, alert.name }, { u"labels"_s, labels },
                                           { u"starts_at"_s, formatTime(alert.startsAt) }, { u"source"_s, alert.source } });
    applyGuards(r);
    const QString id = inc.id;
    const QString key = problemKey(inc.runbook, alert.name, inc.service);
    m_incidents.insert(id, r);
    m_incidentByFingerprint.insert(alert.fingerprint, id);
    m_openIncidentByKey.insert(key, id);

    const QString why = rb ? u"%1 fired on %2; runbook %3 (level %4, %5 confidence) matches"_s.arg(alert.name, inc.service.isEmpty() ? u"the fleet"_s : inc.service, rb->name)
                                 .arg(inc.level)
                                 .arg(confidenceText(inc.confidence))
                           : u"%1 fired on %2; no runbook matches: alert only"_s.arg(alert.name, inc.service.isEmpty() ? u"the fleet"_s : inc.service);
    transition(id, IncidentState::Open, why);
    m_ports.store->saveAlert(id, alert); // after the incident: time to detect starts at its startsAt
    publish(event(EngineEvent::Kind::Detected, id, u"%1: %2"_s.arg(inc.title, why),
        { { u"alert"_s, alert.name }, { u"service"_s, inc.service }, { u"runbook"_s, inc.runbook }, { u"level"_s, inc.level },
            { u"fingerprint"_s, alert.fingerprint }, { u"severity"_s, inc.severity } }));
    if (!rb || inc.level == 0)
        return; // level 0: shown, nothing proposed
    diagnose(id);
}

QString EngineState::problemKey(const QString &runbook, const QString &alertName, const QString &service)
{
    return (runbook.isEmpty() ? u"alert:"_s + alertName : runbook) + u'|' + service;
}

void EngineState::closeProblem(const IncidentRecord &r)
{
    m_openIncidentByKey.remove(problemKey(r.runbook.name, r.incident.labels.value(u"alertname"_s), r.incident.service));
}

void EngineState::alertResolved(const Alert &alert)
{
    m_pendingFor.remove(alert.fingerprint);
    if (m_guardAlerts.remove(alert.fingerprint)) {
        for (IncidentRecord &r : m_incidents) {
            if (!isFinal(r.incident.state)) {
                applyGuards(r);
                saveIncident(r);
            }
        }
    }
    const QString id = m_incidentByFingerprint.value(alert.fingerprint);
    IncidentRecord *r = record(id);
    if (!r)
        return;
    r->incident.alertFingerprints.removeAll(alert.fingerprint);
    if (!r->incident.alertFingerprints.isEmpty() || isFinal(r->incident.state)) {
        saveIncident(*r);
        return;
    }
    r->incident.alertsResolved = true;
    saveIncident(*r);
    switch (r->incident.state) {
    case IncidentState::Open:
    case IncidentState::Diagnosing:
    case IncidentState::Proposed:
    case IncidentState::AwaitingApproval:
        if (!r->run)
            resolve(id, u"the alert resolved by itself before anything was done"_s);
        break;
    case IncidentState::Verifying:
        if (!r->run || r->run->isFinished())
            resolve(id, u"the alert resolved after the remediation"_s);
        break;
    default:
        break; // an execution is running: its verification decides
    }
}

} // namespace antibody
