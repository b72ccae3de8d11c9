#include "engine/store/sqliteincidents.h"

#include "engine/store/redaction.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/storedjson.h"

#include <QCryptographicHash>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

std::optional<qint64> millis(const std::optional<TimePoint> &t)
{
    return t ? std::optional<qint64>(toMillis(*t)) : std::nullopt;
}

} // namespace

// The columns of `incidents` in the order both statements below bind them.
#define INCIDENT_COLUMNS                                                                                               \
    "id, title, service, severity, runbook, level, confidence, state, labels, annotations, facts, guards, "            \
    "proposal_id, alerts_resolved, detected_at, resolved_at"

SqliteStatement &SqliteIncidents::bindIncident(SqliteStatement &statement, const Incident &incident)
{
    statement.bind(1, incident.id)
        .bind(2, Redaction::text(incident.title))
        .bind(3, incident.service)
        .bind(4, incident.severity)
        .bind(5, incident.runbook)
        .bind(6, incident.level)
        .bind(7, confidenceText(incident.confidence))
        .bind(8, incidentStateId(incident.state))
        .bind(9, StoredJson::text(StoredJson::labels(incident.labels)))
        .bind(10, StoredJson::text(StoredJson::labels(incident.annotations)))
        .bind(11, StoredJson::text(QJsonObject::fromVariantMap(incident.facts)))
        .bind(12, StoredJson::text(StoredJson::guards(incident.guards)))
        .bind(14, incident.alertsResolved ? 1 : 0)
        .bind(15, toMillis(incident.detectedAt))
        .bind(16, millis(incident.resolvedAt));
    if (incident.proposalId.isEmpty())
        statement.bindNull(13);
    else
        statement.bind(13, incident.proposalId);
    return statement;
}

IncidentOpening SqliteIncidents::openIncident(const Incident &incident, const QString &problemKey)
{
    IncidentOpening out;
    const TimePoint at = incident.detectedAt;
    const bool stored = write(u"open incident %1"_s.arg(incident.id), Durability::Shared, [&] {
        auto &taken = m_db.cached("SELECT detected_at FROM incidents WHERE id = ?");
        taken.bind(1, incident.id);
        if (taken.step()) {
            out.idTaken = true;
            out.reason = u"incident %1 is already stored (detected %2): nothing was replaced"_s.arg(
                incident.id, formatTime(fromMillis(taken.integer(0))));
            taken.reset();
            return;
        }
        if (!problemKey.isEmpty() && !takeProblem(incident, problemKey, out))
            return;
        // A plain INSERT: should the checks above ever be wrong, the primary key and the
        // index of open problems refuse it.
        auto &insert = bindIncident(m_db.cached("INSERT INTO incidents (" INCIDENT_COLUMNS ", problem_key, owner) "
                                                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"),
            incident);
        if (problemKey.isEmpty())
            insert.bindNull(17);
        else
            insert.bind(17, problemKey);
        insert.bind(18, m_session.ownerName());
        insert.run();
        seal(u"incidents"_s, { incident.id }, at);
        writeHistory(incident, at);
        out.opened = true;
    });
    if (!stored) {
        out = {};
        out.reason = u"incident %1 could not be stored in %2: see the log"_s.arg(incident.id, m_db.file());
    }
    return out;
}

bool SqliteIncidents::takeProblem(const Incident &incident, const QString &problemKey, IncidentOpening &out)
{
    auto &open = m_db.cached("SELECT id, owner FROM incidents WHERE problem_key = ? "
                             "AND state NOT IN ('resolved', 'escalated', 'interrupted')");
    open.bind(1, problemKey);
    QList<std::pair<QString, QString>> holders;
    while (open.step())
        holders.append({ open.text(0), open.isNull(1) ? QString() : open.text(1) });
    open.reset();
    for (const auto &[id, owner] : std::as_const(holders)) {
        if (owner != m_session.ownerName() && m_session.ownerAlive(owner)) {
            out.heldBy = id;
            out.reason
                = u"%1 is open for the same problem (%2) in another process on this database"_s.arg(id, problemKey);
            return false;
        }
    }
    // Whoever held them stopped (or this store forgot them): the problem is this incident's now.
    for (const auto &[id, owner] : std::as_const(holders)) {
        closeIncidentRow(id, IncidentState::Escalated,
            u"the process that handled it stopped; %1 takes the problem over"_s.arg(incident.id), incident.detectedAt);
    }
    return true;
}

bool SqliteIncidents::incidentEnded(const QString &incidentId)
{
    bool ended = false;
    read(u"look up incident %1"_s.arg(incidentId), [&] {
        auto &q = m_db.cached("SELECT state IN ('resolved', 'escalated', 'interrupted') FROM incidents WHERE id = ?");
        q.bind(1, incidentId);
        ended = q.step() && q.integer(0) != 0;
        q.reset();
    });
    return ended;
}

qint64 SqliteIncidents::storedTransitions(const QString &incidentId)
{
    auto &stored = m_db.cached("SELECT count(*) FROM transitions WHERE incident_id = ?");
    stored.bind(1, incidentId);
    stored.step();
    const qint64 known = stored.integer(0);
    stored.reset();
    return known;
}

void SqliteIncidents::writeTransition(const QString &incidentId, qint64 seq, const Transition &t)
{
    auto &insert = m_db.cached("INSERT INTO transitions (incident_id, seq, state, at, reason) VALUES (?, ?, ?, ?, ?)");
    insert.bind(1, incidentId).bind(2, seq).bind(3, incidentStateId(t.state)).bind(4, toMillis(t.at));
    insert.bind(5, Redaction::text(t.reason));
    insert.run();
    seal(u"transitions"_s, { incidentId, seq }, t.at);
}

// The transitions not stored yet and the diagnostics bundle, if it is new.
void SqliteIncidents::writeHistory(const Incident &incident, TimePoint at)
{
    for (qint64 i = storedTransitions(incident.id); i < incident.history.size(); ++i)
        writeTransition(incident.id, i, incident.history.at(i));

    if (!incident.diagnostics.isEmpty()) {
        const QString bundle = StoredJson::text(incident.diagnostics);
        const QString sha
            = QString::fromLatin1(QCryptographicHash::hash(bundle.toUtf8(), QCryptographicHash::Sha256).toHex());
        auto &insert = m_db.cached("INSERT INTO diagnostics (incident_id, collected_at, sha256, bundle) "
                                   "VALUES (?, ?, ?, ?) ON CONFLICT (incident_id, sha256) DO NOTHING");
        insert.bind(1, incident.id).bind(2, toMillis(at)).bind(3, sha).bind(4, bundle);
        insert.run();
        if (m_db.changes() == 1)
            seal(u"diagnostics"_s, { m_db.lastInsertRowId() }, at);
    }
}

void SqliteIncidents::saveIncident(const Incident &incident)
{
    const TimePoint at = incident.history.isEmpty() ? incident.detectedAt : incident.history.back().at;
    write(u"save incident %1"_s.arg(incident.id), isFinal(incident.state) ? Durability::Durable : Durability::Batched,
        [this, incident, at] {
            // A snapshot of an incident already opened (openIncident inserted it); the insert
            // is for callers that save without opening (tools, older tests).
            bindIncident(
                m_db.cached("INSERT INTO incidents (" INCIDENT_COLUMNS ") "
                            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
                            "ON CONFLICT (id) DO UPDATE SET title = excluded.title, service = excluded.service, "
                            "severity = excluded.severity, runbook = excluded.runbook, level = excluded.level, "
                            "confidence = excluded.confidence, state = excluded.state, labels = excluded.labels, "
                            "annotations = excluded.annotations, facts = excluded.facts, guards = excluded.guards, "
                            "proposal_id = excluded.proposal_id, alerts_resolved = excluded.alerts_resolved, "
                            "detected_at = excluded.detected_at, resolved_at = excluded.resolved_at"),
                incident)
                .run();
            seal(u"incidents"_s, { incident.id }, at);
#undef INCIDENT_COLUMNS

            writeHistory(incident, at);
        });
}

void SqliteIncidents::saveAlert(const QString &incidentId, const Alert &alert)
{
    write(
        u"save alert %1 of incident %2"_s.arg(alert.name, incidentId), Durability::Batched, [this, incidentId, alert] {
            auto &upsert = m_db.cached(
                "INSERT INTO alerts (incident_id, fingerprint, name, labels, annotations, source, value, starts_at, "
                "observed_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) "
                "ON CONFLICT (incident_id, fingerprint) DO UPDATE SET name = excluded.name, labels = excluded.labels, "
                "annotations = excluded.annotations, source = excluded.source, value = excluded.value, "
                "starts_at = excluded.starts_at, observed_at = excluded.observed_at");
            upsert.bind(1, incidentId)
                .bind(2, alert.fingerprint)
                .bind(3, alert.name)
                .bind(4, StoredJson::text(StoredJson::labels(alert.labels)))
                .bind(5, StoredJson::text(StoredJson::labels(alert.annotations)))
                .bind(6, alert.source)
                .bind(8, toMillis(alert.startsAt))
                .bind(9, toMillis(alert.observedAt));
            if (alert.value)
                upsert.bind(7, *alert.value);
            else
                upsert.bindNull(7);
            upsert.run();
            seal(u"alerts"_s, { incidentId, alert.fingerprint }, alert.observedAt);
        });
}

void SqliteIncidents::saveProposal(const Proposal &proposal)
{
    write(u"save proposal %1"_s.arg(proposal.id), Durability::Batched, [this, proposal] {
        auto &upsert = m_db.cached(
            "INSERT INTO proposals (id, incident_id, runbook, fingerprint, mode, reasons, guardrails, "
            "approvals_required, "
            "requested_by, state, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) "
            "ON CONFLICT (id) DO UPDATE SET runbook = excluded.runbook, fingerprint = excluded.fingerprint, "
            "mode = excluded.mode, reasons = excluded.reasons, guardrails = excluded.guardrails, "
            "approvals_required = excluded.approvals_required, requested_by = excluded.requested_by, "
            "state = excluded.state, expires_at = excluded.expires_at");
        upsert.bind(1, proposal.id)
            .bind(2, proposal.incidentId)
            .bind(3, proposal.plan.runbook)
            .bind(4, proposal.plan.fingerprint)
            .bind(5, modeText(proposal.decision.mode))
            .bind(6, StoredJson::text(QJsonArray::fromStringList(proposal.decision.reasons)))
            .bind(7, StoredJson::text(StoredJson::guardrails(proposal.guardrails)))
            .bind(8, std::max(1, proposal.approvalsRequired))
            .bind(9, proposal.requestedBy)
            .bind(10, proposalStateText(proposal.state))
            .bind(11, toMillis(proposal.createdAt))
            .bind(12, toMillis(proposal.expiresAt));
        upsert.run();
        seal(u"proposals"_s, { proposal.id }, proposal.createdAt);

        auto &plan = m_db.cached("INSERT INTO plans (proposal_id, fingerprint, plan, made_at) VALUES (?, ?, ?, ?) "
                                 "ON CONFLICT (proposal_id, fingerprint) DO NOTHING");
        plan.bind(1, proposal.id)
            .bind(2, proposal.plan.fingerprint)
            .bind(3, StoredJson::text(StoredJson::plan(proposal.plan)))
            .bind(4, toMillis(proposal.plan.madeAt));
        plan.run();
        if (m_db.changes() == 1)
            seal(u"plans"_s, { proposal.id, proposal.plan.fingerprint }, proposal.plan.madeAt);
    });
}

void SqliteIncidents::closeIncident(const QString &incidentId, IncidentState state, const QString &reason, TimePoint at)
{
    write(u"close incident %1"_s.arg(incidentId), Durability::Durable,
        [&] { closeIncidentRow(incidentId, state, reason, at); });
}

void SqliteIncidents::closeIncidentRow(
    const QString &incidentId, IncidentState state, const QString &reason, TimePoint at)
{
    auto &update = m_db.cached("UPDATE incidents SET state = ? WHERE id = ? "
                               "AND state NOT IN ('resolved', 'escalated', 'interrupted')");
    update.bind(1, incidentStateId(state)).bind(2, incidentId);
    update.run();
    if (m_db.changes() != 1)
        return; // unknown here, or already over
    seal(u"incidents"_s, { incidentId }, at);
    writeTransition(incidentId, storedTransitions(incidentId), Transition { state, at, reason });
}

QList<IncidentTimes> SqliteIncidents::incidentTimes()
{
    QList<IncidentTimes> out;
    read(u"read recovery times"_s, [&] { out = IncidentTimes::read(m_db); });
    return out;
}

} // namespace antibody
