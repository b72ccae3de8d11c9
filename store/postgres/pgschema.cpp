#include "store/postgres/pgschema.h"

#include "engine/store/storeerror.h"
#include "store/postgres/pgsession.h"

#include <QDateTime>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

struct Migration
{
    int version;
    const char *description;
    const char *sql;
};

// Times are milliseconds since the epoch on the engine's clock, BIGINT; JSON columns are
// compact JSON as TEXT (not jsonb, which rewrites it: the seals hash the text as written),
// already redacted. Never edit a migration that has shipped: add the next one.
const Migration migrations[] = {
    { 1,
        "incidents, alerts, diagnostics, proposals, plans, approvals, executions, steps, breakers, cooldowns, drills, "
        "the hash-chained audit trail, and the leader lease with its fencing epoch",
        R"sql(
-- The leader lease: one row per name. `epoch` is the fencing token: it grows by one at
-- every grant, never goes back, and every write of the store checks it. A logged table,
-- so the epoch survives a crash of the server; expires_at is on the database's clock.
CREATE TABLE leader_leases (
    name TEXT PRIMARY KEY,
    holder TEXT NOT NULL,
    epoch BIGINT NOT NULL CHECK (epoch >= 1),
    acquired_at TIMESTAMPTZ NOT NULL,
    renewed_at TIMESTAMPTZ NOT NULL,
    expires_at TIMESTAMPTZ NOT NULL
);

CREATE TABLE incidents (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    service TEXT NOT NULL,
    severity TEXT NOT NULL,
    runbook TEXT NOT NULL,
    level BIGINT NOT NULL,
    confidence TEXT NOT NULL,
    state TEXT NOT NULL,
    labels TEXT NOT NULL,
    annotations TEXT NOT NULL,
    facts TEXT NOT NULL,
    guards TEXT NOT NULL,
    proposal_id TEXT,
    alerts_resolved BIGINT NOT NULL,
    detected_at BIGINT NOT NULL,
    resolved_at BIGINT,
    problem_key TEXT CONSTRAINT problem_key_at_most_1024_characters CHECK (length(problem_key) <= 1024),
    owner TEXT,
    epoch BIGINT
);
-- One problem, one open incident.
CREATE UNIQUE INDEX incidents_open_problem ON incidents (problem_key)
WHERE problem_key IS NOT NULL AND state NOT IN ('resolved', 'escalated', 'interrupted');

CREATE TABLE transitions (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    seq BIGINT NOT NULL,
    state TEXT NOT NULL,
    at BIGINT NOT NULL,
    reason TEXT NOT NULL,
    PRIMARY KEY (incident_id, seq)
);

CREATE TABLE alerts (
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    fingerprint TEXT NOT NULL,
    name TEXT NOT NULL,
    labels TEXT NOT NULL,
    annotations TEXT NOT NULL,
    source TEXT NOT NULL,
    value DOUBLE PRECISION,
    starts_at BIGINT NOT NULL,
    observed_at BIGINT NOT NULL,
    PRIMARY KEY (incident_id, fingerprint)
);

CREATE TABLE diagnostics (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    collected_at BIGINT NOT NULL,
    sha256 TEXT NOT NULL,
    bundle TEXT NOT NULL,
    UNIQUE (incident_id, sha256)
);

CREATE TABLE proposals (
    id TEXT PRIMARY KEY,
    incident_id TEXT NOT NULL REFERENCES incidents(id),
    runbook TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    mode TEXT NOT NULL,
    reasons TEXT NOT NULL,
    guardrails TEXT NOT NULL,
    approvals_required BIGINT NOT NULL CHECK (approvals_required >= 1),
    requested_by TEXT NOT NULL,
    state TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);

CREATE TABLE plans (
    proposal_id TEXT NOT NULL REFERENCES proposals(id),
    fingerprint TEXT NOT NULL,
    plan TEXT NOT NULL,
    made_at BIGINT NOT NULL,
    PRIMARY KEY (proposal_id, fingerprint)
);

CREATE TABLE approvals (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    proposal_id TEXT NOT NULL REFERENCES proposals(id),
    fingerprint TEXT NOT NULL,
    -- A key of the unique index below, whose entries PostgreSQL caps near 2.7 kB: a longer
    -- name is refused by a constraint that says so, not by the index's size limit.
    approver TEXT NOT NULL CHECK (approver <> '') CONSTRAINT approver_at_most_1024_characters
        CHECK (length(approver) <= 1024),
    decision TEXT NOT NULL CHECK (decision IN ('approved', 'denied')),
    reason TEXT NOT NULL CHECK (decision = 'approved' OR reason <> ''),
    at BIGINT NOT NULL
);
-- One approval per person per plan: N approvals are N people.
CREATE UNIQUE INDEX approvals_distinct ON approvals (proposal_id, fingerprint, approver) WHERE decision = 'approved';

-- UNIQUE (proposal_id): a second execution of one proposal is impossible, whoever tries.
-- epoch: the lease epoch it was claimed under. Unfinished under an older epoch: its
-- leader is gone, its outcome unknown, and recovery reads it.
CREATE TABLE executions (
    id TEXT PRIMARY KEY,
    proposal_id TEXT NOT NULL UNIQUE REFERENCES proposals(id),
    incident_id TEXT NOT NULL,
    fingerprint TEXT NOT NULL,
    executor TEXT NOT NULL,
    owner TEXT NOT NULL,
    epoch BIGINT NOT NULL,
    approved_by TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    outcome TEXT CHECK (outcome IS NULL OR outcome <> ''),
    resource TEXT CONSTRAINT resource_at_most_1024_characters CHECK (length(resource) <= 1024)
);
CREATE INDEX executions_by_incident ON executions (incident_id);
CREATE INDEX executions_unfinished ON executions (epoch) WHERE outcome IS NULL;
-- The resource's lease: one unfinished execution per resource.
CREATE UNIQUE INDEX executions_lease ON executions (resource) WHERE outcome IS NULL AND resource IS NOT NULL;
CREATE INDEX executions_by_resource ON executions (resource, started_at);

-- UNIQUE (execution_id, step, pass): one side effect is attempted at most once.
CREATE TABLE steps (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    execution_id TEXT NOT NULL REFERENCES executions(id),
    step TEXT NOT NULL,
    action TEXT NOT NULL,
    pass BIGINT NOT NULL,
    targets TEXT NOT NULL,
    params TEXT NOT NULL,
    started_at BIGINT NOT NULL,
    finished_at BIGINT,
    outcome TEXT CHECK (outcome IS NULL OR outcome <> ''),
    detail TEXT NOT NULL,
    affected TEXT NOT NULL,
    UNIQUE (execution_id, step, pass)
);

CREATE TABLE breakers (
    type TEXT PRIMARY KEY,
    state TEXT NOT NULL CHECK (state IN ('closed', 'open', 'half-open')),
    failures TEXT NOT NULL,
    opened_at BIGINT,
    last_reason TEXT NOT NULL
);

CREATE TABLE cooldowns (
    resource TEXT PRIMARY KEY,
    until BIGINT NOT NULL,
    reason TEXT NOT NULL
);

CREATE TABLE drills (
    id BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    runbook TEXT NOT NULL,
    scenario TEXT NOT NULL,
    passed BIGINT NOT NULL CHECK (passed IN (0, 1)),
    outcome TEXT NOT NULL,
    mttr_ms BIGINT,
    at BIGINT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX drills_by_runbook ON drills (runbook, at);

-- The audit trail: each row's hash covers its content and the previous row's hash.
CREATE TABLE audit (
    seq BIGINT PRIMARY KEY,
    at BIGINT NOT NULL,
    recorded_at BIGINT NOT NULL,
    kind TEXT NOT NULL,
    incident_id TEXT NOT NULL,
    detail TEXT NOT NULL,
    data TEXT NOT NULL,
    prev_hash TEXT NOT NULL,
    hash TEXT NOT NULL
);
CREATE INDEX audit_by_incident ON audit (incident_id) WHERE incident_id <> '';

-- The newest row of the chain, so that deleting the newest rows shows too; its row
-- lock orders the replicas' appends.
CREATE TABLE audit_head (
    id BIGINT PRIMARY KEY CHECK (id = 1),
    seq BIGINT NOT NULL,
    hash TEXT NOT NULL
);
INSERT INTO audit_head (id, seq, hash) VALUES (1, 0, '0000000000000000000000000000000000000000000000000000000000000000');

CREATE TABLE seals (
    table_name TEXT NOT NULL,
    row_key TEXT NOT NULL,
    digest TEXT NOT NULL,
    audit_seq BIGINT NOT NULL,
    PRIMARY KEY (table_name, row_key)
);

-- One function refuses, with the sentence its trigger gives it.
CREATE FUNCTION antibody_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END
$$;

CREATE FUNCTION antibody_audit_append() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
    head_seq BIGINT;
    head_hash TEXT;
BEGIN
    SELECT seq, hash INTO head_seq, head_hash FROM audit_head WHERE id = 1;
    IF NEW.seq IS DISTINCT FROM head_seq + 1 OR NEW.prev_hash IS DISTINCT FROM head_hash THEN
        RAISE EXCEPTION 'the audit trail only grows at its head: seq and prev_hash must follow the newest row'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;
CREATE FUNCTION antibody_audit_head() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE audit_head SET seq = NEW.seq, hash = NEW.hash WHERE id = 1;
    RETURN NULL;
END
$$;
CREATE FUNCTION antibody_not_by_requester() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.decision = 'approved' AND NEW.approver = (SELECT requested_by FROM proposals WHERE id = NEW.proposal_id) THEN
        RAISE EXCEPTION 'whoever requested a manual action cannot approve it'
            USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NEW;
END
$$;

CREATE TRIGGER audit_chain_append BEFORE INSERT ON audit FOR EACH ROW EXECUTE FUNCTION antibody_audit_append();
CREATE TRIGGER audit_chain_head AFTER INSERT ON audit FOR EACH ROW EXECUTE FUNCTION antibody_audit_head();
CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit FOR EACH ROW
EXECUTE FUNCTION antibody_refuse('the audit trail is append-only: its rows cannot be changed');
CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit FOR EACH ROW
EXECUTE FUNCTION antibody_refuse('the audit trail is append-only: its rows cannot be deleted');
CREATE TRIGGER audit_head_forward BEFORE UPDATE ON audit_head FOR EACH ROW WHEN (NEW.seq IS DISTINCT FROM OLD.seq + 1)
EXECUTE FUNCTION antibody_refuse('the audit head only moves forward, one row at a time');

CREATE TRIGGER approvals_final BEFORE UPDATE ON approvals FOR EACH ROW
EXECUTE FUNCTION antibody_refuse('approvals and denials are final: record a new one instead');
CREATE TRIGGER approvals_not_by_requester BEFORE INSERT ON approvals FOR EACH ROW
EXECUTE FUNCTION antibody_not_by_requester();
CREATE TRIGGER executions_final BEFORE UPDATE ON executions FOR EACH ROW
WHEN (OLD.outcome IS NOT NULL OR NEW.id IS DISTINCT FROM OLD.id OR NEW.proposal_id IS DISTINCT FROM OLD.proposal_id
  OR NEW.executor IS DISTINCT FROM OLD.executor OR NEW.started_at IS DISTINCT FROM OLD.started_at
  OR NEW.resource IS DISTINCT FROM OLD.resource OR NEW.epoch IS DISTINCT FROM OLD.epoch)
EXECUTE FUNCTION antibody_refuse('an execution only gets its outcome, once');
CREATE TRIGGER steps_final BEFORE UPDATE ON steps FOR EACH ROW
WHEN (OLD.outcome IS NOT NULL OR NEW.execution_id IS DISTINCT FROM OLD.execution_id OR NEW.step IS DISTINCT FROM OLD.step
  OR NEW.pass IS DISTINCT FROM OLD.pass OR NEW.started_at IS DISTINCT FROM OLD.started_at)
EXECUTE FUNCTION antibody_refuse('a step only gets its outcome, once');
CREATE TRIGGER transitions_final BEFORE UPDATE ON transitions FOR EACH ROW
EXECUTE FUNCTION antibody_refuse('incident transitions are history: they cannot be changed');
CREATE TRIGGER drills_final BEFORE UPDATE ON drills FOR EACH ROW
EXECUTE FUNCTION antibody_refuse('drill results are history: they cannot be changed');
CREATE TRIGGER leader_leases_forward BEFORE UPDATE ON leader_leases FOR EACH ROW
WHEN (NEW.epoch < OLD.epoch OR NEW.name IS DISTINCT FROM OLD.name)
EXECUTE FUNCTION antibody_refuse('the lease epoch only grows: a fencing token never goes back');
)sql" },
    { 2, "API tokens: who a team server's client is; the SHA-256 of each secret, never the secret",
        R"sql(
-- One row per API token (docs/team.md, "Identities"); the same columns as SQLite's
-- version 4. The secret is never stored: 32 random bytes shown once, recognised by its SHA-256.
CREATE TABLE api_tokens (
    id TEXT PRIMARY KEY CHECK (length(id) <= 64),
    subject TEXT NOT NULL,
    groups TEXT NOT NULL,
    secret_sha256 TEXT NOT NULL,
    created_at BIGINT NOT NULL,
    created_by TEXT NOT NULL,
    expires_at BIGINT NOT NULL,
    revoked_at BIGINT,
    revoked_by TEXT
);
CREATE TRIGGER api_tokens_kept BEFORE DELETE ON api_tokens FOR EACH ROW
EXECUTE FUNCTION antibody_refuse('Antibody keeps every record: rows of api_tokens cannot be deleted');
CREATE TRIGGER api_tokens_not_truncated BEFORE TRUNCATE ON api_tokens FOR EACH STATEMENT
EXECUTE FUNCTION antibody_refuse('Antibody keeps every record: api_tokens cannot be truncated');
CREATE TRIGGER api_tokens_final BEFORE UPDATE ON api_tokens FOR EACH ROW
WHEN (OLD.revoked_at IS NOT NULL OR NEW.revoked_at IS NULL OR NEW.id IS DISTINCT FROM OLD.id
  OR NEW.subject IS DISTINCT FROM OLD.subject OR NEW.groups IS DISTINCT FROM OLD.groups
  OR NEW.secret_sha256 IS DISTINCT FROM OLD.secret_sha256 OR NEW.created_at IS DISTINCT FROM OLD.created_at
  OR NEW.created_by IS DISTINCT FROM OLD.created_by OR NEW.expires_at IS DISTINCT FROM OLD.expires_at)
EXECUTE FUNCTION antibody_refuse('an API token only gets revoked, once: create a new one instead');
)sql" },
    { 3, "installed runbooks: what people installed over the team server's client API, every version",
        R"sql(
-- One row per installation, as SQLite's version 5: the newest row of a name is installed.
CREATE TABLE installed_runbooks (
    seq BIGINT GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    name TEXT NOT NULL,
    yaml TEXT NOT NULL,
    sha256 TEXT NOT NULL,
    installed_by TEXT NOT NULL,
    installed_at BIGINT NOT NULL,
    epoch BIGINT NOT NULL
);
CREATE INDEX installed_runbooks_by_name ON installed_runbooks (name, seq);
CREATE TRIGGER installed_runbooks_kept BEFORE DELETE ON installed_runbooks FOR EACH ROW
EXECUTE FUNCTION antibody_refuse('Antibody keeps every record: rows of installed_runbooks cannot be deleted');
CREATE TRIGGER installed_runbooks_not_truncated BEFORE TRUNCATE ON installed_runbooks FOR EACH STATEMENT
EXECUTE FUNCTION antibody_refuse('Antibody keeps every record: installed_runbooks cannot be truncated');
CREATE TRIGGER installed_runbooks_final BEFORE UPDATE ON installed_runbooks FOR EACH ROW
EXECUTE FUNCTION antibody_refuse('an installed runbook is history: install a new version instead');
)sql" },
};

// Tables no row may leave: DELETE row by row, and TRUNCATE, which skips row triggers.
const char *const keptTables[] = { "incidents", "transitions", "alerts", "diagnostics", "proposals", "plans",
    "approvals", "executions", "steps", "breakers", "cooldowns", "drills", "audit", "audit_head", "leader_leases" };

QString keepRecordsSql()
{
    QString sql;
    for (const char *name : keptTables) {
        const QString table = QLatin1StringView(name);
        const QString refusal = table == u"audit"_s ? QString()
                                                    : u"CREATE TRIGGER %1_kept BEFORE DELETE ON %1 FOR EACH ROW "
                                                      "EXECUTE FUNCTION antibody_refuse('Antibody keeps every "
                                                      "record: rows of %1 cannot be deleted');\n"_s.arg(table);
        sql += refusal
            + u"CREATE TRIGGER %1_not_truncated BEFORE TRUNCATE ON %1 FOR EACH STATEMENT EXECUTE FUNCTION "
              "antibody_refuse('Antibody keeps every record: %1 cannot be truncated');\n"_s.arg(table);
    }
    return sql;
}

// Any constant: the migrations of every replica take the same transaction-level lock.
constexpr qint64 migrationLock = 0x616e7469626f6479; // "antibody"

} // namespace

int PgSchema::latestVersion()
{
    return std::end(migrations)[-1].version;
}

int PgSchema::versionOf(PgSession &session)
{
    const PgRows has = session.exec(u"SELECT to_regclass('schema_version') IS NOT NULL, "
                                    "(SELECT min(table_name) FROM information_schema.tables "
                                    "WHERE table_schema = current_schema())"_s);
    if (has.rows.front().value(0) != u"t"_s) {
        if (!has.nulls.front().value(1)) {
            throw StoreError(u"the database %1 holds tables of something else (`%2`, and no schema_version): give "
                             "Antibody a database of its own (CREATE DATABASE antibody) and point the DSN's dbname "
                             "at it"_s.arg(session.location(), has.rows.front().value(1)));
        }
        return 0;
    }
    const PgRows version = session.exec(u"SELECT coalesce(max(version), 0) FROM schema_version"_s);
    return version.rows.front().value(0).toInt();
}

void PgSchema::migrate(PgSession &session)
{
    for (const Migration &m : migrations) {
        try {
            session.exec(u"BEGIN"_s);
            // Read the version under the lock: replicas starting together migrate once.
            session.exec(u"SELECT pg_advisory_xact_lock($1)"_s, PgParams() << migrationLock);
            const int version = versionOf(session);
            if (version > latestVersion()) {
                throw StoreError(u"the database %1 was written by a newer Antibody (schema version %2; this build "
                                 "knows up to %3): upgrade Antibody on this machine to the version the other replicas "
                                 "run, or point the DSN at another database"_s.arg(session.location())
                                     .arg(version)
                                     .arg(latestVersion()));
            }
            if (m.version <= version) {
                session.exec(u"COMMIT"_s);
                continue;
            }
            if (version == 0) {
                session.exec(u"CREATE TABLE schema_version (version INTEGER PRIMARY KEY, description TEXT NOT NULL, "
                             "applied_at TEXT NOT NULL)"_s);
            }
            QString sql = QString::fromUtf8(m.sql);
            if (m.version == 1)
                sql += keepRecordsSql();
            // Several statements in one simple query: PQexecParams takes one, so the DDL,
            // which carries no values, goes as a script of its own.
            session.execScript(sql);
            session.exec(u"INSERT INTO schema_version (version, description, applied_at) VALUES ($1, $2, $3)"_s,
                PgParams() << m.version << QString::fromUtf8(m.description)
                           << QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs));
            session.exec(u"COMMIT"_s);
        } catch (const StoreError &) {
            session.statement(u"ROLLBACK"_s);
            throw;
        }
    }
}

} // namespace antibody
