#include "engine/store/schema.h"

#include "engine/domain/incident.h"
#include "engine/store/audittrail.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/sqlitetransaction.h"
#include "engine/store/storeerror.h"

#include <QDateTime>
#include <QJsonArray>
#include <QList>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

struct Migration
{
    int version;
    const char *description;
    const char *sql; // may be empty when `carry` does the work
    void (*carry)(SqliteDatabase &db) = nullptr; // after the SQL: what SQL alone cannot do
};

void storeStateIds(SqliteDatabase &db);

// Times are milliseconds since the epoch on the engine's clock (virtual in
// simulations); JSON columns are compact JSON with secrets already redacted.
// Never edit a migration that has shipped: add the next one.
const Migration migrations[] = {
    { 1,
        "incidents, alerts, diagnostics, proposals, plans, approvals, executions, steps, breakers, "
        "cooldowns, drills and the hash-chained audit trail",
        R"sql(
CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    service TEXT NOT NULL,
    severity TEXT NOT NULL,
    runbook TEXT NOT NULL,
    level INTEGER NOT NULL,
    confidence TEXT NOT NULL,
    state TEXT NOT NULL,
    labels TEXT NOT NULL,
    annotations TEXT NOT NULL,
    facts TEXT NOT NULL,
    guards TEXT NOT NULL,
    proposal_id TEXT,
    alerts_resolved INTEGER NOT NULL,
    detected_at INTEGER NOT NULL,
    resolved_at INTEGER
) STRICT;

CREATE TABLE transitions (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    seq INTEGER NOT NULL,
    state TEXT NOT NULL,
    at INTEGER NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (incident_id, seq)
) STRICT;

CREATE TABLE alerts (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    fingerprint TEXT NOT NULL,
    name TEXT NOT NULL,
    labels TEXT NOT NULL,
    annotations TEXT NOT NULL,
    source TEXT NOT NULL,
    value REAL,
    starts_at INTEGER NOT NULL,
    observed_at INTEGER NOT NULL,
    PRIMARY KEY (incident_id, fingerprint)
) STRICT;

CREATE TABLE diagnostics (
    id INTEGER PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    collected_at INTEGER NOT NULL,
    sha256 TEXT NOT NULL,
    bundle TEXT NOT NULL,
    UNIQUE (incident_id, sha256)
) STRICT;

CREATE TABLE proposals (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    runbook TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    mode TEXT NOT NULL,
    reasons TEXT NOT NULL,
    guardrails TEXT NOT NULL,
    approvals_required INTEGER NOT NULL CHECK (approvals_required >= 1),
    requested_by TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    expires_at INTEGER NOT NULL
) STRICT;

-- Every plan a proposal ever showed, by fingerprint: what each approval bound to.
CREATE TABLE plans (
    proposal_id TEXT NOT NULL REFERENCES proposals(id),
    fingerprint TEXT NOT NULL,
    plan TEXT NOT NULL,
    made_at INTEGER NOT NULL,
    PRIMARY KEY (proposal_id, fingerprint)
) STRICT;

CREATE TABLE approvals (
    id INTEGER PRIMARY KEY,
    proposal_id TEXT NOT NULL REFERENCES proposals(id),
    fingerprint TEXT NOT NULL,
    approver TEXT NOT NULL CHECK (approver <> ''),
    decision TEXT NOT NULL CHECK (decision IN ('approved', 'denied')),
    reason TEXT NOT NULL CHECK (decision = 'approved' OR reason <> ''),
    at INTEGER NOT NULL
) STRICT;
-- One approval per person per plan: N approvals are N people.
CREATE UNIQUE INDEX approvals_distinct ON approvals (proposal_id, fingerprint, approver) WHERE decision = 'approved';

-- UNIQUE (proposal_id): a second execution of one proposal is impossible, whoever tries.
-- owner: the claiming process's OwnerLock; while it is held, the execution is not "in flight after a crash".
CREATE TABLE executions (
    id TEXT PRIMARY KEY,
    proposal_id TEXT NOT NULL UNIQUE REFERENCES proposals(id),
    incident_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    executor TEXT NOT NULL,
    owner TEXT NOT NULL,
    approved_by TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    outcome TEXT CHECK (outcome IS NULL OR outcome <> '')
) STRICT;
CREATE INDEX executions_by_incident ON executions (incident_id);
CREATE INDEX executions_unfinished ON executions (outcome) WHERE outcome IS NULL;

-- UNIQUE (execution_id, step, pass): one side effect is attempted at most once.
CREATE TABLE steps (
    id INTEGER PRIMARY KEY,
    execution_id TEXT NOT NULL REFERENCES executions(id),
    step TEXT NOT NULL,
    action TEXT NOT NULL,
    pass INTEGER NOT NULL,
    targets TEXT NOT NULL,
    params TEXT NOT NULL,
    started_at INTEGER NOT NULL,
    finished_at INTEGER,
    outcome TEXT CHECK (outcome IS NULL OR outcome <> ''),
    detail TEXT NOT NULL,
    affected TEXT NOT NULL,
    UNIQUE (execution_id, step, pass)
) STRICT;

CREATE TABLE breakers (
    type TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('closed', 'open', 'half-open')),
    failures TEXT NOT NULL,
    opened_at INTEGER,
    last_reason TEXT NOT NULL
) STRICT;

CREATE TABLE cooldowns (
    resource TEXT PRIMARY KEY,
    until INTEGER NOT NULL,
    reason TEXT NOT NULL
) STRICT;

CREATE TABLE drills (
    id INTEGER PRIMARY KEY,
    runbook TEXT NOT NULL,
    scenario TEXT NOT NULL,
    passed INTEGER NOT NULL CHECK (passed IN (0, 1)),
    outcome TEXT NOT NULL,
    mttr_ms INTEGER,
    at INTEGER NOT NULL,
    detail TEXT NOT NULL
) STRICT;
CREATE INDEX drills_by_runbook ON drills (runbook, at);

-- The audit trail: each row's hash covers its content and the previous row's hash.
CREATE TABLE audit (
    seq INTEGER PRIMARY KEY,
    at INTEGER NOT NULL,
    recorded_at INTEGER NOT NULL,
    kind TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
) STRICT;
CREATE INDEX audit_by_incident ON audit (incident_id) WHERE incident_id <> '';

-- The newest row of the chain, so that deleting the newest rows shows too.
CREATE TABLE audit_head (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    seq INTEGER NOT NULL,
    hash TEXT NOT NULL
) STRICT;
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

-- The newest seal of each record (derived from the audit trail; verify rebuilds it from there).
CREATE TABLE seals (
    table_name TEXT NOT NULL,
    row_key TEXT NOT NULL,
    digest TEXT NOT NULL,
    audit_seq INTEGER NOT NULL,
    PRIMARY KEY (table_name, row_key)
) STRICT;

CREATE TRIGGER audit_chain_append BEFORE INSERT ON audit
WHEN NEW.seq IS NOT (SELECT seq + 1 FROM audit_head) OR NEW.prev_hash IS NOT (SELECT hash FROM audit_head)
BEGIN SELECT RAISE(ABORT, 'the audit trail only grows at its head: seq and prev_hash must follow the newest row'); END;
CREATE TRIGGER audit_chain_head AFTER INSERT ON audit
BEGIN UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1; END;
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: its rows cannot be changed'); END;
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit
BEGIN SELECT RAISE(ABORT, 'the audit trail is append-only: its rows cannot be deleted'); END;
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head
WHEN NEW.seq IS NOT OLD.seq + 1
BEGIN SELECT RAISE(ABORT, 'the audit head only moves forward, one row at a time'); END;

CREATE TRIGGER approvals_final BEFORE UPDATE ON approvals
BEGIN SELECT RAISE(ABORT, 'approvals and denials are final: record a new one instead'); END;
CREATE TRIGGER approvals_not_by_requester BEFORE INSERT ON approvals
WHEN NEW.decision = 'approved' AND NEW.approver = (SELECT requested_by FROM proposals WHERE id = NEW.proposal_id)
BEGIN SELECT RAISE(ABORT, 'whoever requested a manual action cannot approve it'); END;
CREATE TRIGGER executions_final BEFORE UPDATE ON executions
WHEN OLD.outcome IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.proposal_id IS NOT OLD.proposal_id
  OR NEW.executor IS NOT OLD.executor OR NEW.started_at IS NOT OLD.started_at
BEGIN SELECT RAISE(ABORT, 'an execution only gets its outcome, once'); END;
CREATE TRIGGER steps_final BEFORE UPDATE ON steps
WHEN OLD.outcome IS NOT NULL OR NEW.execution_id IS NOT OLD.execution_id OR NEW.step IS NOT OLD.step
  OR NEW.pass IS NOT OLD.pass OR NEW.started_at IS NOT OLD.started_at
BEGIN SELECT RAISE(ABORT, 'a step only gets its outcome, once'); END;
CREATE TRIGGER transitions_final BEFORE UPDATE ON transitions
BEGIN SELECT RAISE(ABORT, 'incident transitions are history: they cannot be changed'); END;
CREATE TRIGGER drills_final BEFORE UPDATE ON drills
BEGIN SELECT RAISE(ABORT, 'drill results are history: they cannot be changed'); END;
)sql" },
    { 2, "one open incident per problem and one running execution per resource, across processes",
        R"sql(
-- The engine's problem key (runbook and its group_by values) and the owner lock of the
-- process holding the incident: two processes on one database open one incident for
-- one problem; the incident of a process that stopped is taken over.
ALTER TABLE incidents ADD COLUMN problem_key TEXT;
ALTER TABLE incidents ADD COLUMN owner TEXT;
CREATE UNIQUE INDEX incidents_open_problem ON incidents (problem_key)
WHERE problem_key IS NOT NULL AND state NOT IN ('resolved', 'escalated', 'interrupted');

-- The resource an execution remediates ("service/orders-db"): its lease. While one
-- execution there is unfinished, no other starts, whichever process claims it.
ALTER TABLE executions ADD COLUMN resource TEXT;
CREATE UNIQUE INDEX executions_lease ON executions (resource) WHERE outcome IS NULL AND resource IS NOT NULL;
CREATE INDEX executions_by_resource ON executions (resource, started_at);

DROP TRIGGER executions_final;
CREATE TRIGGER executions_final BEFORE UPDATE ON executions
WHEN OLD.outcome IS NOT NULL OR NEW.id IS NOT OLD.id OR NEW.proposal_id IS NOT OLD.proposal_id
  OR NEW.executor IS NOT OLD.executor OR NEW.started_at IS NOT OLD.started_at OR NEW.resource IS NOT OLD.resource
BEGIN SELECT RAISE(ABORT, 'an execution only gets its outcome, once'); END;
)sql" },
    { 3, "incident states stored as stable identifiers (awaiting_approval), never as display text", "", storeStateIds },
    { 4, "API tokens: who a team server's client is; the SHA-256 of each secret, never the secret",
        R"sql(
-- One row per API token (docs/team.md, "Identities"). The secret itself is never stored:
-- it is 32 random bytes, shown once; its SHA-256 is enough to recognise it.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY,
    subject TEXT NOT NULL,
    groups TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL,
    created_at INTEGER NOT NULL,
    created_by TEXT NOT NULL,
    expires_at INTEGER NOT NULL,
    revoked_at INTEGER,
    revoked_by TEXT
) STRICT;
CREATE TRIGGER api_tokens_kept BEFORE DELETE ON api_tokens
BEGIN SELECT RAISE(ABORT, 'Antibody keeps every record: rows of api_tokens cannot be deleted'); END;
CREATE TRIGGER api_tokens_final BEFORE UPDATE ON api_tokens
WHEN OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.id IS NOT OLD.id OR NEW.subject IS NOT OLD.subject
  OR NEW.groups IS NOT OLD.groups OR NEW.secret_sha256 IS NOT OLD.secret_sha256 OR NEW.created_at IS NOT OLD.created_at
  OR NEW.created_by IS NOT OLD.created_by OR NEW.expires_at IS NOT OLD.expires_at
BEGIN SELECT RAISE(ABORT, 'an API token only gets revoked, once: create a new one instead'); END;
)sql" },
    { 5, "installed runbooks: what people installed over the team server's client API, every version",
        R"sql(
-- One row per installation (docs/team.md, "Installing a runbook"): the YAML as sent; the
-- newest row of a name is the installed version. Rows are never changed or deleted.
CREATE TABLE installed_runbooks (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    yaml TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    installed_by TEXT NOT NULL,
    installed_at INTEGER NOT NULL
) STRICT;
CREATE INDEX installed_runbooks_by_name ON installed_runbooks (name, seq);
CREATE TRIGGER installed_runbooks_kept BEFORE DELETE ON installed_runbooks
BEGIN SELECT RAISE(ABORT, 'Antibody keeps every record: rows of installed_runbooks cannot be deleted'); END;
CREATE TRIGGER installed_runbooks_final BEFORE UPDATE ON installed_runbooks
BEGIN SELECT RAISE(ABORT, 'an installed runbook is history: install a new version instead'); END;
)sql" },
};

// Rows of `table` whose `state` is `from`, by their key: a text column, and an integer one when given.
QList<QJsonArray> rowsInState(
    SqliteDatabase &db, const QString &table, const QString &textKey, const QString &intKey, const QString &from)
{
    QList<QJsonArray> out;
    auto q = db.prepare(
        u"SELECT %1, %2 FROM %3 WHERE state = ?"_s.arg(textKey, intKey.isEmpty() ? u"0"_s : intKey, table));
    q.bind(1, from);
    while (q.step()) {
        QJsonArray key { q.text(0) };
        if (!intKey.isEmpty())
            key.append(double(q.integer(1)));
        out << key;
    }
    return out;
}

// Version 1 and 2 stored the display text of a state ("awaiting approval"). The rows
// change to the identifier, and each changed row is sealed again: the audit trail says
// the migration changed it, and `antibodyctl audit verify` holds.
void storeStateIds(SqliteDatabase &db)
{
    const QString from = incidentStateText(IncidentState::AwaitingApproval);
    const QString to = incidentStateId(IncidentState::AwaitingApproval);
    const QList<QJsonArray> incidents = rowsInState(db, u"incidents"_s, u"id"_s, {}, from);
    const QList<QJsonArray> transitions = rowsInState(db, u"transitions"_s, u"incident_id"_s, u"seq"_s, from);
    db.exec(u"DROP TRIGGER transitions_final;"
            "UPDATE transitions SET state = '%2' WHERE state = '%1';"
            "CREATE TRIGGER transitions_final BEFORE UPDATE ON transitions "
            "BEGIN SELECT RAISE(ABORT, 'incident transitions are history: they cannot be changed'); END;"
            "UPDATE incidents SET state = '%2' WHERE state = '%1';"_s.arg(from, to),
        u"store incident states as identifiers"_s);
    const TimePoint now = fromMillis(QDateTime::currentMSecsSinceEpoch());
    AuditTrail trail(db);
    for (const QJsonArray &key : incidents)
        trail.seal(u"incidents"_s, key, now);
    for (const QJsonArray &key : transitions)
        trail.seal(u"transitions"_s, key, now);
}

// Tables that records may not be deleted from (the audit trail has its own triggers).
const char *const keptTables[] = { "incidents", "transitions", "alerts", "diagnostics", "proposals", "plans",
    "approvals", "executions", "steps", "breakers", "cooldowns", "drills" };

QString keepRecordsSql()
{
    QString sql;
    for (const char *table : keptTables) {
        sql += u"CREATE TRIGGER %1_kept BEFORE DELETE ON %1 BEGIN SELECT RAISE(ABORT, "
               "'Antibody keeps every record: rows of %1 cannot be deleted'); END;\n"_s.arg(QLatin1StringView(table));
    }
    return sql;
}

} // namespace

int Schema::latestVersion()
{
    return std::end(migrations)[-1].version;
}

int Schema::versionOf(SqliteDatabase &db)
{
    if (!db.tableExists(u"schema_version"_s)) {
        auto anyTable = db.prepare(u"SELECT name FROM sqlite_master WHERE type = 'table' LIMIT 1"_s);
        if (anyTable.step()) {
            throw StoreError(u"%1 is an SQLite database of something else (it has a table `%2` and no schema_version); "
                             "point --data-dir at a folder of its own"_s.arg(db.file(), anyTable.text(0)));
        }
        return 0;
    }
    auto q = db.prepare(u"SELECT coalesce(max(version), 0) FROM schema_version"_s);
    q.step();
    return static_cast<int>(q.integer(0));
}

void Schema::checkReadable(SqliteDatabase &db)
{
    const int version = versionOf(db);
    if (version == 0)
        throw StoreError(u"%1 holds no Antibody data yet (an empty database)"_s.arg(db.file()));
    if (version > latestVersion()) {
        throw StoreError(u"%1 was written by a newer Antibody (schema version %2; this build reads up to %3): "
                         "upgrade Antibody to read it"_s.arg(db.file())
                             .arg(version)
                             .arg(latestVersion()));
    }
}

void Schema::migrate(SqliteDatabase &db)
{
    for (const Migration &m : migrations) {
        // Read the version inside the write lock, so two processes starting at once migrate once.
        SqliteTransaction tx(db);
        const int version = versionOf(db);
        if (version > latestVersion()) {
            throw StoreError(u"%1 was written by a newer Antibody (schema version %2; this build knows up to %3): "
                             "upgrade Antibody, or choose another folder with --data-dir"_s.arg(db.file())
                                 .arg(version)
                                 .arg(latestVersion()));
        }
        if (m.version <= version)
            continue;
        if (version == 0) {
            db.exec(u"CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                    "applied_at TEXT NOT NULL) STRICT"_s,
                u"create the schema_version table"_s);
        }
        QString sql = QString::fromUtf8(m.sql);
        if (m.version == 1)
            sql += keepRecordsSql();
        if (!sql.isEmpty())
            db.exec(sql, u"apply schema migration %1"_s.arg(m.version));
        if (m.carry)
            m.carry(db);
        auto record = db.prepare(u"INSERT INTO schema_version (version, description, applied_at) VALUES (?, ?, ?)"_s);
        record.bind(1, m.version)
            .bind(2, QString::fromUtf8(m.description))
            .bind(3, QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
        record.run();
        // One transaction per migration: a crash leaves the file at the previous version.
        tx.commit();
    }
}

} // namespace antibody
