// Intake: alerts in, incidents out. De-duplicates by fingerprint, groups alerts
// of one problem (runbook + service) into one incident, matches runbooks, and
// keeps the never-automate guards that alerts raise.
#include "engine/pipeline/enginestate.h"
#include "engine/pipeline/incidentid.h"

#include <QJsonArray>
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
                        u"%1 raised on %2: %3"_s.arg(guardName(*g),
                            alert.service().isEmpty() ? u"every service"_s : alert.service(), guardReason(*g)),
                        { { u"guard"_s, guardName(*g) } }));
                }
            }
        }
    }

    if (const auto held = m_heldElsewhere.find(alert.fingerprint); held != m_heldElsewhere.end()) {
        held->first = alert; // another process handles it; the next look takes this version
        return;
    }
    if (const auto it = m_incidentByFingerprint.constFind(alert.fingerprint);
        it != m_incidentByFingerprint.constEnd()) {
        // The same alert again: de-duplicated, also into an incident escalated to a human
        // whom the engine cannot help any more (a never-automate guard holds, or the
        // remediation's breaker is open) while that alert has not stopped firing: a new
        // incident per update would page them again, every few seconds, for what they
        // are already looking at. An alert that resolved and fires again is news.
        if (IncidentRecord *r = record(*it); r
            && (!isFinal(r->incident.state)
                || (r->incident.state == IncidentState::Escalated
                    && r->incident.alertFingerprints.contains(alert.fingerprint)))) {
            joinAlert(*r, alert); // an update: a new count in its summary is the same alert
            return;
        }
    }
    const Runbook *rb = matchRunbook(alert);
    if (rb && rb->trigger.forDuration.count() > 0 && !rb->trigger.isMetric()) {
        const TimePoint due = alert.startsAt + rb->trigger.forDuration;
        if (m_ports.clock->now() < due) {
            const bool scheduled = m_pendingFor.contains(alert.fingerprint);
            m_pendingFor.insert(alert.fingerprint, alert);
            if (!scheduled) {
                // Guarded: the clock outlives the engine (the console's world owns it).
                m_ports.clock->callAt(due, guarded([this, fp = alert.fingerprint] {
                    const auto pending = m_pendingFor.take(fp);
                    if (!pending.fingerprint.isEmpty())
                        alertFiring(pending);
                }));
            }
            return;
        }
    }
    m_pendingFor.remove(alert.fingerprint);
    const QString key = problemKey(rb, alert);
    if (const auto open = m_openIncidentByKey.constFind(key); open != m_openIncidentByKey.constEnd()) {
        if (IncidentRecord *r = record(*open); r && !isFinal(r->incident.state)) {
            joinAlert(*r, alert); // another alert of the same problem
            return;
        }
    }
    if (IncidentRecord *r = incidentWithSymptom(alert)) {
        joinAlert(*r, alert);
        return;
    }
    openIncident(alert, rb);
}

EngineState::IncidentRecord *EngineState::incidentWithSymptom(const Alert &alert)
{
    // Only incidents whose runbook names symptoms can take one: with 20,000 incidents
    // open, looking through all of them for each alert took 14 s.
    IncidentRecord *found = nullptr;
    for (auto it = m_withSymptoms.begin(); it != m_withSymptoms.end();) {
        IncidentRecord *r = record(*it);
        if (!r || isFinal(r->incident.state)) {
            it = m_withSymptoms.erase(it);
            continue;
        }
        ++it;
        if (found
            && std::pair(found->incident.detectedAt, found->incident.id)
                <= std::pair(r->incident.detectedAt, r->incident.id))
            continue;
        for (const TriggerExpression &symptom : std::as_const(r->runbook.symptoms)) {
            if (symptom.matchesAlert(alert.name, alert.labels)) {
                found = r;
                break;
            }
        }
    }
    return found;
}

void EngineState::joinAlert(IncidentRecord &r, const Alert &alert)
{
    const bool known = r.incident.alertFingerprints.contains(alert.fingerprint);
    if (!known) {
        r.incident.alertFingerprints << alert.fingerprint;
        m_incidentByFingerprint.insert(alert.fingerprint, r.incident.id);
    }
    // The alerts inside the incident, as a person reads them: each once, with its latest summary.
    QJsonArray alerts = r.incident.diagnostics.value(u"alerts"_s).toArray();
    const QJsonObject entry { { u"fingerprint"_s, alert.fingerprint }, { u"name"_s, alert.name },
        { u"service"_s, alert.service() }, { u"summary"_s, alert.annotations.value(u"summary"_s) },
        { u"starts_at"_s, formatTime(alert.startsAt) } };
    qsizetype at = -1;
    for (qsizetype i = 0; i < alerts.size(); ++i) {
        if (alerts.at(i).toObject().value(u"fingerprint"_s).toString() == alert.fingerprint)
            at = i;
    }
    if (at >= 0 && alerts.at(at).toObject() == entry)
        return; // nothing new to say
    if (at >= 0)
        alerts.replace(at, entry);
    else if (alerts.size() < maxListedAlerts)
        alerts.append(entry);
    r.incident.diagnostics.insert(u"alerts"_s, alerts);
    if (!known) {
        if (!isFinal(r.incident.state))
            r.incident.alertsResolved = false;
        m_ports.store->saveAlert(r.incident.id, alert);
    }
    saveIncident(r);
}

void EngineState::forgetFinalIncidents()
{
    m_forgetScheduled = false;
    QSet<QString> forgotten;
    QList<QString> kept;
    // A tenth below the limit: the fingerprint index is swept once per batch, not per incident.
    const qsizetype target = m_settings.keepFinalIncidents - m_settings.keepFinalIncidents / 10;
    qsizetype i = 0;
    for (; i < m_finalOrder.size() && m_finalOrder.size() - i + kept.size() > target; ++i) {
        const QString id = m_finalOrder.at(i);
        const IncidentRecord *r = record(id);
        if (!r || forgotten.contains(id))
            continue;
        // Still in use: an execution winding down, or an escalation whose alerts still
        // fire and join it (forgotten, their next update would open and page anew).
        const bool firing = r->incident.state == IncidentState::Escalated && !r->incident.alertFingerprints.isEmpty();
        if (!isFinal(r->incident.state) || r->run || firing) {
            kept << id;
            continue;
        }
        IncidentRecord &doomed = m_incidents[id];
        cancelTimers(doomed);
        closeProblem(doomed);
        m_withSymptoms.remove(id);
        m_incidents.remove(id);
        forgotten.insert(id);
    }
    m_finalOrder = kept + m_finalOrder.mid(i);
    if (!forgotten.isEmpty())
        m_incidentByFingerprint.removeIf([&](const auto &it) { return forgotten.contains(it.value()); });
}

void EngineState::openIncident(const Alert &alert, const Runbook *rb)
{
    const TimePoint now = m_ports.clock->now();
    IncidentRecord r;
    Incident &inc = r.incident;
    inc.id = m_settings.incidentIds ? m_settings.incidentIds() : IncidentId::generate();
    inc.service = alert.service();
    inc.severity = alert.severity().isEmpty() ? u"warning"_s : alert.severity();
    const QString summary = alert.annotations.value(u"summary"_s);
    inc.title = summary.isEmpty() ? u"%1 on %2"_s.arg(alert.name, inc.service.isEmpty() ? u"the fleet"_s : inc.service)
                                  : summary;
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
    inc.diagnostics.insert(u"alert"_s,
        QJsonObject { { u"name"_s, alert.name }, { u"labels"_s, labels },
            { u"starts_at"_s, formatTime(alert.startsAt) }, { u"source"_s, alert.source } });
    inc.diagnostics.insert(u"alerts"_s,
        QJsonArray { QJsonObject { { u"fingerprint"_s, alert.fingerprint }, { u"name"_s, alert.name },
            { u"service"_s, alert.service() }, { u"summary"_s, summary },
            { u"starts_at"_s, formatTime(alert.startsAt) } } });
    applyGuards(r);
    r.problemKey = problemKey(rb, alert);
    // The first save inserts and never replaces another incident. An id already taken
    // (with 128 random bits only a broken generator would) is drawn again.
    IncidentOpening opening = m_ports.store->openIncident(inc, r.problemKey);
    for (int draws = 1; opening.idTaken && draws < 3; ++draws) {
        inc.id = IncidentId::generate();
        opening = m_ports.store->openIncident(inc, r.problemKey);
    }
    if (opening.idTaken) {
        qCritical("%s", qUtf8Printable(u"no incident opened for %1: %2"_s.arg(alert.name, opening.reason)));
        return;
    }
    if (!opening.heldBy.isEmpty()) {
        standAside(alert, opening); // one problem, one incident, across processes
        return;
    }
    const QString id = inc.id;
    m_openIncidentByKey.insert(r.problemKey, id);
    m_incidents.insert(id, r);
    m_incidentByFingerprint.insert(alert.fingerprint, id);

    const QString why = rb ? u"%1 fired on %2; runbook %3 (level %4, %5 confidence) matches"_s
                                 .arg(alert.name, inc.service.isEmpty() ? u"the fleet"_s : inc.service, rb->name)
                                 .arg(inc.level)
                                 .arg(confidenceText(inc.confidence))
                           : u"%1 fired on %2; no runbook matches: alert only%3"_s.arg(
                               alert.name, inc.service.isEmpty() ? u"the fleet"_s : inc.service, passedOverText(alert));
    transition(id, IncidentState::Open, why);
    m_ports.store->saveAlert(id, alert); // after the incident: time to detect starts at its startsAt
    publish(event(EngineEvent::Kind::Detected, id, u"%1: %2"_s.arg(inc.title, why),
        { { u"alert"_s, alert.name }, { u"service"_s, inc.service }, { u"runbook"_s, inc.runbook },
            { u"level"_s, inc.level }, { u"fingerprint"_s, alert.fingerprint }, { u"severity"_s, inc.severity } }));
    if (guardFromName(alert.labels.value(u"guard"_s))) {
        // Security incidents and data corruption reach a human within seconds, whatever
        // the runbook prepares and however long its approval waits: as soon as the
        // diagnosis is in, or after guardPageWithin if it is slow.
        m_ports.clock->callAfter(guardPageWithin, guarded([this, id] { pageGuard(id); }));
    }
    if (rb && !rb->symptoms.isEmpty()) {
        m_withSymptoms.insert(id);
        absorbSymptoms(m_incidents[id]);
    }
    if (!rb || inc.level == 0)
        return; // level 0: shown, nothing proposed
    diagnose(id);
}

void EngineState::absorbSymptoms(IncidentRecord &cause)
{
    // Symptoms often fire first (an error rate before its region's `for:` has passed):
    // alert-only incidents they opened become part of the problem that causes them.
    QStringList absorbed;
    for (IncidentRecord &other : m_incidents) {
        if (&other == &cause || isFinal(other.incident.state) || other.run || other.incident.level > 0)
            continue;
        const QString name = other.incident.labels.value(u"alertname"_s);
        const bool symptom = std::any_of(cause.runbook.symptoms.cbegin(), cause.runbook.symptoms.cend(),
            [&](const TriggerExpression &e) { return e.matchesAlert(name, other.incident.labels); });
        if (!symptom)
            continue;
        const QJsonArray alerts = other.incident.diagnostics.value(u"alerts"_s).toArray();
        for (const QJsonValue &v : alerts) {
            const QJsonObject a = v.toObject();
            Alert moved;
            moved.fingerprint = a.value(u"fingerprint"_s).toString();
            moved.name = a.value(u"name"_s).toString();
            moved.labels = other.incident.labels;
            moved.annotations.insert(u"summary"_s, a.value(u"summary"_s).toString());
            moved.startsAt = parseTime(a.value(u"starts_at"_s).toString()).value_or(other.incident.detectedAt);
            joinAlert(cause, moved);
        }
        other.incident.alertFingerprints.clear();
        other.incident.diagnostics.insert(u"grouped_into"_s, cause.incident.id); // not healed: MTTR leaves it out
        absorbed << other.incident.id;
    }
    for (const QString &id : std::as_const(absorbed))
        resolve(id, u"grouped into %1: a symptom of %2's problem"_s.arg(cause.incident.id, cause.runbook.name),
            { { u"grouped_into"_s, cause.incident.id } });
}

void EngineState::pageGuard(const QString &incidentId)
{
    IncidentRecord *r = record(incidentId);
    const auto guard = r ? guardFromName(r->incident.labels.value(u"guard"_s)) : std::nullopt;
    if (!guard || !r->pagedSeverity.isEmpty() || isFinal(r->incident.state))
        return;
    page(*r,
        u"never-automate condition (%1): %2; nothing is changed automatically"_s.arg(
            guardName(*guard), guardReason(*guard)),
        u"critical"_s);
}

QString EngineState::passedOverText(const Alert &alert) const
{
    // Said where the on-call engineer looks first: a runbook that would have matched
    // but whose `services:` leave this service out is a decision, not a gap.
    const QStringList names = m_index.passedOver(alert);
    if (names.isEmpty())
        return {};
    return u"; %1 %2 %3 but %4"_s.arg(names.join(u", "_s), names.size() == 1 ? u"matches"_s : u"match"_s, alert.name,
        alert.service().isEmpty()
            ? u"the alert names no service"_s
            : u"%1 `services` do not list %2"_s.arg(names.size() == 1 ? u"its"_s : u"their"_s, alert.service()));
}

QString EngineState::problemKey(const Runbook *runbook, const Alert &alert)
{
    if (!runbook)
        return u"alert:%1|%2"_s.arg(alert.name, alert.service());
    QStringList values;
    for (const QString &label : runbook->groupBy)
        values << alert.labels.value(label);
    return runbook->name + u'|' + values.join(u'|');
}

void EngineState::closeProblem(const IncidentRecord &r)
{
    if (m_openIncidentByKey.value(r.problemKey) == r.incident.id)
        m_openIncidentByKey.remove(r.problemKey);
}

void EngineState::alertResolved(const Alert &alert)
{
    m_pendingFor.remove(alert.fingerprint);
    m_heldElsewhere.remove(alert.fingerprint);
    m_asideFor.remove(alert.fingerprint);
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
            resolve(id,
                r->attempts > 0
                    ? u"the alert resolved while the engine waited to try again (after %1 attempt%2)"_s.arg(r->attempts)
                          .arg(r->attempts == 1 ? QString() : u"s"_s)
                    : u"the alert resolved by itself before anything was done"_s);
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
