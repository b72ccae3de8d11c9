#include "store/postgres/pgopenrecords.h"

#include "engine/domain/recordjson.h"
#include "engine/store/storedjson.h"
#include "store/postgres/pgincidents.h"
#include "store/postgres/pgrow.h"

#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

// A list of ids as one parameter: `= ANY(...)` over a JSON array, so that no id is ever
// spliced into the statement.
QString idList(const QStringList &ids)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(ids)).toJson(QJsonDocument::Compact));
}
const QString inIds = u"(SELECT jsonb_array_elements_text($1::jsonb))"_s;

QJsonValue optionalMillis(const PgRow &row, int column)
{
    return row.isNull(column) ? QJsonValue() : QJsonValue(row.integer(column));
}

} // namespace

std::optional<OpenRecords::View> PgOpenRecords::openRecords(const QStringList &also, const QStringList &held, int limit)
{
    View view;
    const bool ok = read(u"read the open incidents"_s, [&] {
        view.incidents = incidents(also, held, limit);
        QStringList proposalIds;
        for (const Incident &i : std::as_const(view.incidents)) {
            if (!i.proposalId.isEmpty())
                proposalIds << i.proposalId;
        }
        view.proposals = proposals(proposalIds);
    });
    if (!ok)
        return std::nullopt;
    return view;
}

QList<Incident> PgOpenRecords::incidents(const QStringList &also, const QStringList &held, int limit)
{
    QStringList asked = also;
    asked.removeIf([&](const QString &id) { return held.contains(id); });
    // The stored columns as the client API's JSON, read back by the one reader of that
    // shape (RecordJson): a record read here is the record a console reads.
    const PgRows rows = exec(u"SELECT id, title, service, severity, runbook, level, confidence, state, labels, "
                             "annotations, facts, guards, proposal_id, alerts_resolved, detected_at, resolved_at "
                             "FROM incidents WHERE id IN (SELECT id FROM incidents WHERE "_s
            + PgIncidents::stillOpen
            + u" AND id NOT IN (SELECT jsonb_array_elements_text($3::jsonb)) ORDER BY detected_at, id LIMIT $2) "
              u"OR id IN "_s
            + inIds + u" ORDER BY detected_at, id"_s,
        PgParams() << idList(asked) << qint64(limit) << idList(held));
    QList<QJsonObject> records;
    QStringList ids;
    QHash<QString, qsizetype> at;
    for (qsizetype r = 0; r < rows.rows.size(); ++r) {
        const PgRow row(rows, r);
        ids << row.text(0);
        at.insert(row.text(0), r);
        records << QJsonObject { { u"id"_s, row.text(0) }, { u"title"_s, row.text(1) }, { u"service"_s, row.text(2) },
            { u"severity"_s, row.text(3) }, { u"runbook"_s, row.text(4) }, { u"level"_s, row.integer(5) },
            { u"confidence"_s, row.text(6) }, { u"state"_s, row.text(7) },
            { u"labels"_s, StoredJson::object(row.text(8)) }, { u"annotations"_s, StoredJson::object(row.text(9)) },
            { u"facts"_s, StoredJson::object(row.text(10)) },
            { u"guards"_s, QJsonArray::fromStringList(StoredJson::stringList(row.text(11))) },
            { u"proposal"_s, row.isNull(12) ? QString() : row.text(12) },
            { u"alerts_resolved"_s, row.integer(13) != 0 }, { u"detected_at"_s, row.integer(14) },
            { u"resolved_at"_s, optionalMillis(row, 15) } };
    }
    if (ids.isEmpty())
        return {};
    const QString idParam = idList(ids);
    const auto append = [&](const QString &incident, const QString &key, const QJsonValue &value) {
        QJsonObject &record = records[at.value(incident)];
        QJsonArray list = record.value(key).toArray();
        list.append(value);
        record.insert(key, list);
    };
    const PgRows history = exec(u"SELECT incident_id, state, at, reason FROM transitions WHERE incident_id IN "_s
            + inIds + u" ORDER BY incident_id, seq"_s,
        PgParams() << idParam);
    for (qsizetype r = 0; r < history.rows.size(); ++r) {
        const PgRow row(history, r);
        append(row.text(0), u"history"_s,
            QJsonObject { { u"state"_s, row.text(1) }, { u"at"_s, row.integer(2) }, { u"reason"_s, row.text(3) } });
    }
    const PgRows alerts = exec(u"SELECT incident_id, fingerprint FROM alerts WHERE incident_id IN "_s + inIds
            + u" ORDER BY incident_id, starts_at, fingerprint"_s,
        PgParams() << idParam);
    for (qsizetype r = 0; r < alerts.rows.size(); ++r)
        append(alerts.rows.at(r).value(0), u"alert_fingerprints"_s, alerts.rows.at(r).value(1));
    const PgRows bundles = exec(u"SELECT DISTINCT ON (incident_id) incident_id, bundle FROM diagnostics "
                                "WHERE incident_id IN "_s
            + inIds + u" ORDER BY incident_id, id DESC"_s,
        PgParams() << idParam);
    for (qsizetype r = 0; r < bundles.rows.size(); ++r)
        records[at.value(bundles.rows.at(r).value(0))].insert(
            u"diagnostics"_s, StoredJson::object(bundles.rows.at(r).value(1)));

    QList<Incident> out;
    for (const QJsonObject &record : std::as_const(records)) {
        QString error;
        if (const auto incident = RecordJson::incidentFrom(record, &error))
            out << *incident;
        else
            qWarning("antibody: a stored incident could not be read back: %s", qPrintable(error));
    }
    return out;
}

QList<Proposal> PgOpenRecords::proposals(const QStringList &ids)
{
    if (ids.isEmpty())
        return {};
    const QString idParam = idList(ids);
    const PgRows rows = exec(u"SELECT p.id, p.incident_id, p.fingerprint, p.mode, p.reasons, p.guardrails, "
                             "p.approvals_required, p.requested_by, p.state, p.created_at, p.expires_at, plans.plan "
                             "FROM proposals p JOIN plans ON plans.proposal_id = p.id AND plans.fingerprint = "
                             "p.fingerprint WHERE p.id IN "_s
            + inIds + u" ORDER BY p.created_at, p.id"_s,
        PgParams() << idParam);
    QHash<QString, QJsonArray> approvals;
    const PgRows approved = exec(u"SELECT a.proposal_id, a.approver, a.fingerprint, a.at, a.reason FROM approvals a "
                                 "JOIN proposals p ON p.id = a.proposal_id AND p.fingerprint = a.fingerprint "
                                 "WHERE a.decision = 'approved' AND a.proposal_id IN "_s
            + inIds + u" ORDER BY a.id"_s,
        PgParams() << idParam);
    for (qsizetype r = 0; r < approved.rows.size(); ++r) {
        const PgRow row(approved, r);
        approvals[row.text(0)].append(QJsonObject { { u"approver"_s, row.text(1) }, { u"fingerprint"_s, row.text(2) },
            { u"at"_s, row.integer(3) }, { u"reason"_s, row.text(4) } });
    }
    QList<Proposal> out;
    for (qsizetype r = 0; r < rows.rows.size(); ++r) {
        const PgRow row(rows, r);
        const QJsonObject record { { u"id"_s, row.text(0) }, { u"incident"_s, row.text(1) }, { u"mode"_s, row.text(3) },
            { u"reasons"_s, QJsonArray::fromStringList(StoredJson::stringList(row.text(4))) },
            { u"guardrails"_s, QJsonDocument::fromJson(row.text(5).toUtf8()).array() },
            { u"approvals_required"_s, row.integer(6) }, { u"approvals"_s, approvals.value(row.text(0)) },
            { u"requested_by"_s, row.text(7) }, { u"state"_s, row.text(8) }, { u"created_at"_s, row.integer(9) },
            { u"expires_at"_s, row.integer(10) }, { u"plan"_s, StoredJson::object(row.text(11)) } };
        QString error;
        if (const auto proposal = RecordJson::proposalFrom(record, &error))
            out << *proposal;
        else
            qWarning("antibody: a stored proposal could not be read back: %s", qPrintable(error));
    }
    return out;
}

} // namespace antibody
