#include "store/postgres/pgincidents.h"

#include "engine/store/redaction.h"
#include "engine/store/storedjson.h"
#include "store/postgres/pgrow.h"

#include <QCryptographicHash>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

// The columns of `incidents` in the order incidentParams() gives them ($1..$16).
const QString incidentColumns = u"id, title, service, severity, runbook, level, confidence, state, labels, "
                                "annotations, facts, guards, proposal_id, alerts_resolved, detected_at, resolved_at"_s;
const QString incidentValues = u"$1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16"_s;
} // namespace

const QString PgIncidents::stillOpen = u"state NOT IN ('resolved', 'escalated', 'interrupted')"_s;

PgParams PgIncidents::incidentParams(const Incident &incident)
{
    PgParams p;
    p << incident.id << Redaction::text(incident.title) << incident.service << incident.severity << incident.runbook
      << incident.level << confidenceText(incident.confidence) << incidentStateId(incident.state)
      << StoredJson::text(StoredJson::labels(incident.labels))
      << StoredJson::text(StoredJson::labels(incident.annotations))
      << StoredJson::text(QJsonObject::fromVariantMap(incident.facts))
      << StoredJson::text(StoredJson::guards(incident.guards));
    p.textOrNull(incident.proposalId);
    p << (incident.alertsResolved ? 1 : 0) << incident.detectedAt << incident.resolvedAt;
    return p;
}

IncidentOpening PgIncidents::openIncident(const Incident &incident, const QString &problemKey)
{
    IncidentOpening out;
    const TimePoint at = incident.detectedAt;
    const bool stored = write(u"open incident %1"_s.arg(incident.id), Durability::Informational, [&] {
        out = {};
        const PgRows taken = exec(u"SELECT detected_at FROM incidents WHERE id = $1"_s, PgParams() << incident.id);
        if (!taken.rows.isEmpty()) {
            out.idTaken = true;
            out.reason = u"incident %1 is already stored (detected %2): nothing was replaced"_s.arg(
                incident.id, formatTime(PgRow(taken, 0).time(0)));
            return;
        }
        if (!problemKey.isEmpty())
            takeProblem(incident, problemKey);
        // A plain INSERT: should the check above ever be wrong, the primary key and the
        // index of open problems refuse it.
        PgParams p = incidentParams(incident);
        p.textOrNull(problemKey);
        p << m_session.holder() << epoch();
        exec(u"INSERT INTO incidents ("_s + incidentColumns + u", problem_key, owner, epoch) VALUES ("_s
                + incidentValues + u", $17, $18, $19)"_s,
            p);
        seal(u"incidents"_s, { incident.id }, at);
        writeHistory(incident, at);
        out.opened = true;
    });
    if (!stored) {
        out = {};
        out.reason = u"incident %1 could not be stored in %2: see the log"_s.arg(incident.id, m_session.location());
    }
    return out;
}

void PgIncidents::takeProblem(const Incident &incident, const QString &problemKey)
{
    const PgRows open = exec(u"SELECT id FROM incidents WHERE problem_key = $1 AND "_s + stillOpen + u" FOR UPDATE"_s,
        PgParams() << problemKey);
    for (const QStringList &row : open.rows) {
        closeIncidentRow(row.value(0), IncidentState::Escalated,
            u"the process that handled it stopped; %1 takes the problem over"_s.arg(incident.id), incident.detectedAt);
    }
}

bool PgIncidents::incidentEnded(const QString &incidentId)
{
    bool ended = false;
    read(u"look up incident %1"_s.arg(incidentId), [&] {
        const PgRows q
            = exec(u"SELECT NOT ("_s + stillOpen + u") FROM incidents WHERE id = $1"_s, PgParams() << incidentId);
        ended = !q.rows.isEmpty() && q.rows.front().value(0) == u"t"_s;
    });
    return ended;
}

qint64 PgIncidents::storedTransitions(const QString &incidentId)
{
    const PgRows stored = exec(u"SELECT count(*) FROM transitions WHERE incident_id = $1"_s, PgParams() << incidentId);
    return PgRow(stored, 0).integer(0);
}

void PgIncidents::writeTransition(const QString &incidentId, qint64 seq, const Transition &t)
{
    exec(u"INSERT INTO transitions (incident_id, seq, state, at, reason) VALUES ($1, $2, $3, $4, $5)"_s,
        PgParams() << incidentId << seq << incidentStateId(t.state) << t.at << Redaction::text(t.reason));
    seal(u"transitions"_s, { incidentId, seq }, t.at);
}

// The transitions not stored yet and the diagnostics bundle, if it is new.
void PgIncidents::writeHistory(const Incident &incident, TimePoint at)
{
    for (qint64 i = storedTransitions(incident.id); i < incident.history.size(); ++i)
        writeTransition(incident.id, i, incident.history.at(i));

    if (incident.diagnostics.isEmpty())
        return;
    const QString bundle = StoredJson::text(incident.diagnostics);
    const QString sha
        = QString::fromLatin1(QCryptographicHash::hash(bundle.toUtf8(), QCryptographicHash::Sha256).toHex());
    const PgRows inserted = exec(u"INSERT INTO diagnostics (incident_id, collected_at, sha256, bundle) "
                                 "VALUES ($1, $2, $3, $4) ON CONFLICT (incident_id, sha256) DO NOTHING RETURNING id"_s,
        PgParams() << incident.id << at << sha << bundle);
    if (!inserted.rows.isEmpty())
        seal(u"diagnostics"_s, { PgRow(inserted, 0).integer(0) }, at);
}

void PgIncidents::saveIncident(const Incident &incident)
{
    const TimePoint at = incident.history.isEmpty() ? incident.detectedAt : incident.history.back().at;
    write(u"save incident %1"_s.arg(incident.id),
        isFinal(incident.state) ? Durability::Decision : Durability::Informational, [&] {
            // A snapshot of an incident already opened (openIncident inserted it); the insert
            // is for callers that save without opening (tools, older tests).
            exec(u"INSERT INTO incidents ("_s + incidentColumns + u") VALUES ("_s + incidentValues
                    + u") ON CONFLICT (id) DO UPDATE SET title = excluded.title, service = excluded.service, "
                      "severity = excluded.severity, runbook = excluded.runbook, level = excluded.level, "
                      "confidence = excluded.confidence, state = excluded.state, labels = excluded.labels, "
                      "annotations = excluded.annotations, facts = excluded.facts, guards = excluded.guards, "
                      "proposal_id = excluded.proposal_id, alerts_resolved = excluded.alerts_resolved, "
                      "detected_at = excluded.detected_at, resolved_at = excluded.resolved_at"_s,
                incidentParams(incident));
            seal(u"incidents"_s, { incident.id }, at);
            writeHistory(incident, at);
        });
}

void PgIncidents::saveAlert(const QString &incidentId, const Alert &alert)
{
    write(u"save alert %1 of incident %2"_s.arg(alert.name, incidentId), Durability::Informational, [&] {
        exec(u"INSERT INTO alerts (incident_id, fingerprint, name, labels, annotations, source, value, starts_at, "
             "observed_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) "
             "ON CONFLICT (incident_id, fingerprint) DO UPDATE SET name = excluded.name, labels = excluded.labels, "
             "annotations = excluded.annotations, source = excluded.source, value = excluded.value, "
             "starts_at = excluded.starts_at, observed_at = excluded.observed_at"_s,
            PgParams() << incidentId << alert.fingerprint << alert.name
                       << StoredJson::text(StoredJson::labels(alert.labels))
                       << StoredJson::text(StoredJson::labels(alert.annotations)) << alert.source << alert.value
                       << alert.startsAt << alert.observedAt);
        seal(u"alerts"_s, { incidentId, alert.fingerprint }, alert.observedAt);
    });
}

void PgIncidents::saveProposal(const Proposal &proposal)
{
    write(u"save proposal %1"_s.arg(proposal.id), Durability::Informational, [&] {
        exec(u"INSERT INTO proposals (id, incident_id, runbook, fingerprint, mode, reasons, guardrails, "
             "approvals_required, requested_by, state, created_at, expires_at) "
             "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12) "
             "ON CONFLICT (id) DO UPDATE SET runbook = excluded.runbook, fingerprint = excluded.fingerprint, "
             "mode = excluded.mode, reasons = excluded.reasons, guardrails = excluded.guardrails, "
             "approvals_required = excluded.approvals_required, requested_by = excluded.requested_by, "
             "state = excluded.state, expires_at = excluded.expires_at"_s,
            PgParams() << proposal.id << proposal.incidentId << proposal.plan.runbook << proposal.plan.fingerprint
                       << modeText(proposal.decision.mode)
                       << StoredJson::text(QJsonArray::fromStringList(proposal.decision.reasons))
                       << StoredJson::text(StoredJson::guardrails(proposal.guardrails))
                       << std::max(1, proposal.approvalsRequired) << proposal.requestedBy
                       << proposalStateText(proposal.state) << proposal.createdAt << proposal.expiresAt);
        seal(u"proposals"_s, { proposal.id }, proposal.createdAt);
        const PgRows plan = exec(u"INSERT INTO plans (proposal_id, fingerprint, plan, made_at) VALUES ($1, $2, $3, $4) "
                                 "ON CONFLICT (proposal_id, fingerprint) DO NOTHING RETURNING made_at"_s,
            PgParams() << proposal.id << proposal.plan.fingerprint << StoredJson::text(StoredJson::plan(proposal.plan))
                       << proposal.plan.madeAt);
        if (!plan.rows.isEmpty())
            seal(u"plans"_s, { proposal.id, proposal.plan.fingerprint }, proposal.plan.madeAt);
    });
}

void PgIncidents::closeIncident(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at)
{
    write(u"close incident %1"_s.arg(incidentId), Durability::Decision,
        [&] { closeIncidentRow(incidentId, state, reason, at); });
}

void PgIncidents::closeIncidentRow(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at)
{
    const PgRows closed = exec(u"UPDATE incidents SET state = $1 WHERE id = $2 AND "_s + stillOpen + u" RETURNING id"_s,
        PgParams() << incidentStateId(state) << incidentId);
    if (closed.rows.isEmpty())
        return; // unknown here, or already over
    seal(u"incidents"_s, { incidentId }, at);
    writeTransition(incidentId, storedTransitions(incidentId), Transition { state, at, reason });
}

} // namespace antibody
