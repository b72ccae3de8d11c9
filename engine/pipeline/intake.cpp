#include "engine/pipeline/intake.h"

#include "engine/pipeline/engineparts.h"
#include "engine/pipeline/incidentid.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody {

Intake::Intake(EngineParts &parts)
    : m_parts(parts)
{
}

void Intake::onAlertChanges(const QList<AlertChange> &changes)
{
    for (const AlertChange &c : changes) {
        if (c.kind == AlertChange::Kind::Resolved)
            alertResolved(c.alert);
        else
            alertFiring(c.alert);
    }
}

void Intake::applyGuards(IncidentRecord &r) const
{
    QSet<Guard> guards;
    for (const auto &[guard, service] : std::as_const(m_guardAlerts)) {
        if (service.isEmpty() || service == r.incident.service)
            guards.insert(guard);
    }
    r.incident.guards = guards;
}

void Intake::raiseGuard(Guard g, const Alert &alert)
{
    const bool fresh = !m_guardAlerts.contains(alert.fingerprint);
    m_guardAlerts.insert(alert.fingerprint, { g, alert.service() });
    if (!fresh)
        return;
    m_parts.book.forEach([&](IncidentRecord &r) {
        if (isFinal(r.incident.state))
            return;
        const bool had = r.incident.guards.contains(g);
        applyGuards(r);
        if (!had && r.incident.guards.contains(g)) {
            m_parts.book.save(r);
            m_parts.core.publish(m_parts.core.event(EngineEvent::Kind::GuardrailBlocked, r.incident.id,
                u"%1 raised on %2: %3"_s.arg(
                    guardName(g), alert.service().isEmpty() ? u"every service"_s : alert.service(), guardReason(g)),
                { { u"guard"_s, guardName(g) } }));
        }
    });
}

void Intake::alertFiring(const Alert &alert)
{
    if (const auto g = guardFromName(alert.labels.value(u"guard"_s)))
        raiseGuard(*g, alert);
    if (m_parts.standAside.update(alert))
        return; // another process handles it; the next look takes this version
    // The same alert again: de-duplicated, also into an incident escalated to a human
    // whom the engine cannot help any more (a never-automate guard holds, or the
    // remediation's breaker is open) while that alert has not stopped firing: a new
    // incident per update would page them again, every few seconds, for what they
    // are already looking at. An alert that resolved and fires again is news.
    if (IncidentRecord *r = m_parts.book.findByFingerprint(alert.fingerprint); r
        && (!isFinal(r->incident.state)
            || (r->incident.state == IncidentState::Escalated
                && r->incident.alertFingerprints.contains(alert.fingerprint)))) {
        joinAlert(*r, alert); // an update: a new count in its summary is the same alert
        return;
    }
    const Runbook *rb = m_parts.core.index().match(alert);
    if (waitsForItsFor(alert, rb))
        return;
    if (IncidentRecord *r = m_parts.book.openFor(problemKey(rb, alert))) {
        joinAlert(*r, alert); // another alert of the same problem
        return;
    }
    if (IncidentRecord *r = m_parts.book.withSymptom(alert)) {
        joinAlert(*r, alert);
        return;
    }
    openIncident(alert, rb);
}

bool Intake::waitsForItsFor(const Alert &alert, const Runbook *rb)
{
    if (rb && rb->trigger.forDuration.count() > 0 && !rb->trigger.isMetric()) {
        const TimePoint due = alert.startsAt + rb->trigger.forDuration;
        if (m_parts.core.clock().now() < due) {
            const bool scheduled = m_pendingFor.contains(alert.fingerprint);
            m_pendingFor.insert(alert.fingerprint, alert);
            if (!scheduled) {
                // Guarded: the clock outlives the engine (the console's world owns it).
                m_parts.core.clock().callAt(due, m_parts.core.guarded([this, fp = alert.fingerprint] {
                    const auto pending = m_pendingFor.take(fp);
                    if (!pending.fingerprint.isEmpty())
                        alertFiring(pending);
                }));
            }
            return true;
        }
    }
    m_pendingFor.remove(alert.fingerprint);
    return false;
}

void Intake::joinAlert(IncidentRecord &r, const Alert &alert)
{
    const bool known = r.incident.alertFingerprints.contains(alert.fingerprint);
    if (!known) {
        r.incident.alertFingerprints << alert.fingerprint;
        m_parts.book.indexAlert(alert.fingerprint, r.incident.id);
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
        m_parts.core.store().saveAlert(r.incident.id, alert);
    }
    m_parts.book.save(r);
}

void Intake::openIncident(const Alert &alert, const Runbook *rb)
{
    EngineCore &core = m_parts.core;
    IncidentRecord r;
    Incident &inc = r.incident;
    inc.id = core.settings().incidentIds ? core.settings().incidentIds() : IncidentId::generate();
    inc.service = alert.service();
    inc.severity = alert.severity().isEmpty() ? u"warning"_s : alert.severity();
    const QString summary = alert.annotations.value(u"summary"_s);
    const QString where = inc.service.isEmpty() ? u"the fleet"_s : inc.service;
    inc.title = summary.isEmpty() ? u"%1 on %2"_s.arg(alert.name, where) : summary;
    inc.labels = alert.labels;
    inc.annotations = alert.annotations;
    inc.alertFingerprints << alert.fingerprint;
    inc.detectedAt = core.clock().now();
    if (rb) {
        r.runbook = *rb;
        inc.runbook = rb->name;
        inc.level = core.levelOf(*rb);
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
    IncidentOpening opening = core.store().openIncident(inc, r.problemKey);
    for (int draws = 1; opening.idTaken && draws < 3; ++draws) {
        inc.id = IncidentId::generate();
        opening = core.store().openIncident(inc, r.problemKey);
    }
    if (opening.idTaken) {
        qCritical("%s", qUtf8Printable(u"no incident opened for %1: %2"_s.arg(alert.name, opening.reason)));
        return;
    }
    if (!opening.heldBy.isEmpty()) {
        m_parts.standAside.standAside(alert, opening); // one problem, one incident, across processes
        return;
    }
    const QString id = inc.id;
    const int level = inc.level;
    const QString title = inc.title;
    m_parts.book.add(std::move(r), alert.fingerprint);
    const QString why = rb
        ? u"%1 fired on %2; runbook %3 (level %4, %5 confidence) matches"_s.arg(alert.name, where, rb->name)
              .arg(level)
              .arg(confidenceText(rb->trigger.confidence))
        : u"%1 fired on %2; no runbook matches: alert only%3"_s.arg(alert.name, where, passedOverText(alert));
    m_parts.book.transition(id, IncidentState::Open, why);
    core.store().saveAlert(id, alert); // after the incident: time to detect starts at its startsAt
    core.publish(core.event(EngineEvent::Kind::Detected, id, u"%1: %2"_s.arg(title, why),
        { { u"alert"_s, alert.name }, { u"service"_s, alert.service() }, { u"runbook"_s, rb ? rb->name : QString() },
            { u"level"_s, level }, { u"fingerprint"_s, alert.fingerprint },
            { u"severity"_s, alert.severity().isEmpty() ? u"warning"_s : alert.severity() } }));
    if (guardFromName(alert.labels.value(u"guard"_s))) {
        // Security incidents and data corruption reach a human within seconds, whatever
        // the runbook prepares and however long its approval waits: as soon as the
        // diagnosis is in, or after guardPageWithin if it is slow.
        core.clock().callAfter(guardPageWithin, core.guarded([this, id] { m_parts.paging.pageGuard(id); }));
    }
    if (rb && !rb->symptoms.isEmpty())
        absorbSymptoms(*m_parts.book.find(id));
    if (!rb || level == 0)
        return; // level 0: shown, nothing proposed
    m_parts.proposer.diagnose(id);
}

void Intake::absorbSymptoms(IncidentRecord &cause)
{
    // Symptoms often fire first (an error rate before its region's `for:` has passed):
    // alert-only incidents they opened become part of the problem that causes them.
    QStringList absorbed;
    m_parts.book.forEach([&](IncidentRecord &other) {
        if (&other == &cause || isFinal(other.incident.state) || other.run || other.incident.level > 0)
            return;
        const QString name = other.incident.labels.value(u"alertname"_s);
        const bool symptom = std::any_of(cause.runbook.symptoms.cbegin(), cause.runbook.symptoms.cend(),
            [&](const TriggerExpression &e) { return e.matchesAlert(name, other.incident.labels); });
        if (!symptom)
            return;
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
    });
    for (const QString &id : std::as_const(absorbed))
        m_parts.escalation.resolve(id,
            u"grouped into %1: a symptom of %2's problem"_s.arg(cause.incident.id, cause.runbook.name),
            { { u"grouped_into"_s, cause.incident.id } });
}

QString Intake::passedOverText(const Alert &alert) const
{
    // Said where the on-call engineer looks first: a runbook that would have matched
    // but whose `services:` leave this service out is a decision, not a gap.
    const QStringList names = m_parts.core.index().passedOver(alert);
    if (names.isEmpty())
        return {};
    return u"; %1 %2 %3 but %4"_s.arg(names.join(u", "_s), names.size() == 1 ? u"matches"_s : u"match"_s, alert.name,
        alert.service().isEmpty()
            ? u"the alert names no service"_s
            : u"%1 `services` do not list %2"_s.arg(names.size() == 1 ? u"its"_s : u"their"_s, alert.service()));
}

QString Intake::problemKey(const Runbook *runbook, const Alert &alert)
{
    if (!runbook)
        return u"alert:%1|%2"_s.arg(alert.name, alert.service());
    QStringList values;
    for (const QString &label : runbook->groupBy)
        values << alert.labels.value(label);
    return runbook->name + u'|' + values.join(u'|');
}

void Intake::alertResolved(const Alert &alert)
{
    m_pendingFor.remove(alert.fingerprint);
    m_parts.standAside.forget(alert.fingerprint);
    if (m_guardAlerts.remove(alert.fingerprint)) {
        m_parts.book.forEach([&](IncidentRecord &r) {
            if (!isFinal(r.incident.state)) {
                applyGuards(r);
                m_parts.book.save(r);
            }
        });
    }
    IncidentRecord *r = m_parts.book.findByFingerprint(alert.fingerprint);
    if (!r)
        return;
    const QString id = r->incident.id;
    r->incident.alertFingerprints.removeAll(alert.fingerprint);
    if (!r->incident.alertFingerprints.isEmpty() || isFinal(r->incident.state)) {
        m_parts.book.save(*r);
        return;
    }
    r->incident.alertsResolved = true;
    m_parts.book.save(*r);
    switch (r->incident.state) {
    case IncidentState::Open:
    case IncidentState::Diagnosing:
    case IncidentState::Proposed:
    case IncidentState::AwaitingApproval:
        if (!r->run)
            m_parts.escalation.resolve(id,
                r->attempts > 0
                    ? u"the alert resolved while the engine waited to try again (after %1 attempt%2)"_s.arg(r->attempts)
                          .arg(r->attempts == 1 ? QString() : u"s"_s)
                    : u"the alert resolved by itself before anything was done"_s);
        break;
    case IncidentState::Verifying:
        if (!r->run || r->run->isFinished())
            m_parts.escalation.resolve(id, u"the alert resolved after the remediation"_s);
        break;
    default:
        break; // an execution is running: its verification decides
    }
}

} // namespace antibody
