#include "storecontract.h"

#include "storefixtures.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace antibody {

using fixtures::at;

namespace {

// An incident with its proposal, as the engine saves them before anyone approves.
Proposal seed(Store &store, const QString &id, int approvals = 1, const QString &requestedBy = {})
{
    store.saveIncident(fixtures::incident(u"INC-"_s + id, at(0)));
    // Automated runs claim it as well as approved ones; the approval rules have their own tests.
    Proposal p = fixtures::proposal(id, u"INC-"_s + id, at(10), approvals, requestedBy);
    p.decision.mode = Mode::Auto;
    store.saveProposal(p);
    return p;
}

#define SKIP_WITHOUT_DATABASE(b)                                                                                       \
    if (!(b).hasDatabase())                                                                                            \
    QSKIP("MemoryStore has no database underneath")

} // namespace

StoreContract::StoreContract(std::vector<std::unique_ptr<StoreBackend>> backends)
    : m_backends(std::move(backends))
{
}

StoreContract::~StoreContract() = default;

void StoreContract::backends_data()
{
    QTest::addColumn<int>("backend");
    for (size_t i = 0; i < m_backends.size(); ++i)
        QTest::addRow("%s", qPrintable(m_backends[i]->name())) << int(i);
}

StoreBackend &StoreContract::backend()
{
    QFETCH(int, backend);
    return *m_backends.at(size_t(backend));
}

// Review finding #4: the first save of an incident was an upsert, so an incident that
// drew a taken id replaced the first one's row and skipped its first transitions.
// Now it is an insert: the second is refused, the first keeps its row and history.
void StoreContract::anIncidentWithATakenIdIsRefusedNotOverwritten()
{
    StoreBackend &b = backend();
    Store &store = b.fresh();
    Incident first = fixtures::incident(u"INC-same"_s, at(0));
    QVERIFY(store.openIncident(first, u"connection-pool-exhaustion|orders-db"_s).opened);
    first.state = IncidentState::Resolved;
    first.resolvedAt = at(60);
    first.history << Transition { IncidentState::Resolved, at(60), u"pool below 70%"_s };
    store.saveIncident(first);

    Incident second = fixtures::incident(u"INC-same"_s, at(500), u"crashloop"_s);
    second.service = u"checkout-svc"_s;
    const IncidentOpening opening = store.openIncident(second, u"crashloop|checkout-svc"_s);
    QVERIFY(!opening.opened);
    QVERIFY(opening.idTaken);
    QVERIFY2(opening.reason.contains(u"INC-same"_s), qPrintable(opening.reason));
    QVERIFY(store.incidentEnded(u"INC-same"_s));
    SKIP_WITHOUT_DATABASE(b);
    b.flush();
    QCOMPARE(b.scalar(u"SELECT count(*) FROM incidents WHERE service = 'orders-db' AND state = 'resolved'"_s), 1);
    QCOMPARE(b.scalar(u"SELECT detected_at FROM incidents"_s), toMillis(at(0)));
    QCOMPARE(b.scalar(u"SELECT count(*) FROM transitions WHERE incident_id = 'INC-same'"_s), 2);
    QVERIFY2(b.failures().isEmpty(), qPrintable(b.failures().join(u'\n')));
}

// What MemoryStore promises, every store keeps: first claim wins, later ones learn
// who and when; approvers are distinct per fingerprint.
void StoreContract::firstClaimWinsAndApproversAreDistinct()
{
    StoreBackend &b = backend();
    Store &store = b.fresh();
    const Proposal p = seed(store, u"P1"_s);

    QVERIFY(store.recordApproval(fixtures::approval(p, u"alice"_s, at(20))).accepted);
    const auto again = store.recordApproval(fixtures::approval(p, u"alice"_s, at(21)));
    QVERIFY(!again.accepted);
    QVERIFY2(again.reason.contains(u"alice already approved"_s), qPrintable(again.reason));
    QCOMPARE(store.recordApproval(fixtures::approval(p, u"bob"_s, at(22))).approvers,
        (QStringList { u"alice"_s, u"bob"_s }));
    QCOMPARE(store.approversOf(p.id, p.plan.fingerprint), (QStringList { u"alice"_s, u"bob"_s }));

    const auto first = store.claimExecution(p.id, p.plan.fingerprint, u"alice-console"_s, u"alice,bob"_s, at(23));
    QVERIFY2(first.granted, qPrintable(first.reason));
    const auto second = store.claimExecution(p.id, p.plan.fingerprint, u"bob-console"_s, u"bob"_s, at(24));
    QVERIFY(!second.granted);
    QCOMPARE(second.executionId, first.executionId);
    QCOMPARE(second.claimedBy, u"alice-console"_s);
    QCOMPARE(second.approvedBy, u"alice,bob"_s);
    QCOMPARE(second.claimedAt, at(23));
    QCOMPARE(store.findExecution(p.id)->executor, u"alice-console"_s);
    QVERIFY2(b.failures().isEmpty(), qPrintable(b.failures().join(u'\n')));
}

void StoreContract::theStoreEnforcesTheApprovalRules_data()
{
    QTest::addColumn<int>("backend");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("refusal");
    const QList<std::pair<const char *, const char *>> rules {
        { "claim of another plan", "is not the stored plan" },
        { "claim naming an approver never stored", "no approval of theirs is stored" },
        { "claim with 1 of 2 approvals", "1 of the 2 distinct approvals" },
        { "approval by the requester", "cannot also approve" },
        { "claim after the approval window", "approval window" },
        { "automated claim of a plan that waits for approval", "runs only with approval" },
        { "claim of a denied proposal", "is denied, not pending" },
        { "approval after the approval window", "approval window" },
        { "approval of a superseded proposal", "is superseded, not pending" },
        { "approval of a shown-only proposal", "nothing to approve" },
    };
    for (size_t i = 0; i < m_backends.size(); ++i) {
        for (const auto &[rule, refusal] : rules)
            QTest::addRow("%s: %s", qPrintable(m_backends[i]->name()), rule)
                << int(i) << QString::fromUtf8(rule) << QString::fromUtf8(refusal);
    }
}

// Finding 9 of the reliability review: the store itself refuses what the approval
// rules refuse, whatever the claiming process believes. Each row breaks one rule on
// a stored proposal (approve mode, one approval needed, made at 10 s, expiring 15 min
// later) and is refused with a reason that says which.
void StoreContract::theStoreEnforcesTheApprovalRules()
{
    QFETCH(QString, rule);
    QFETCH(QString, refusal);
    Store &store = backend().fresh();
    store.saveIncident(fixtures::incident(u"INC-P1"_s, at(0)));
    Proposal p = fixtures::proposal(u"P1"_s, u"INC-P1"_s, at(10), rule.contains(u"1 of 2"_s) ? 2 : 1,
        rule.contains(u"requester"_s) ? u"carol"_s : QString());
    if (rule.contains(u"denied"_s))
        p.state = Proposal::State::Denied;
    if (rule.contains(u"superseded"_s))
        p.state = Proposal::State::Superseded;
    if (rule.contains(u"shown-only"_s))
        p.decision.mode = Mode::Show;
    store.saveProposal(p);
    const TimePoint late = p.expiresAt + Duration { 1000 };

    QString answer;
    if (rule.startsWith(u"approval"_s)) {
        const ApprovalOutcome outcome = store.recordApproval(fixtures::approval(
            p, rule.contains(u"requester"_s) ? u"carol"_s : u"alice"_s, rule.contains(u"window"_s) ? late : at(20)));
        QVERIFY(!outcome.accepted);
        answer = outcome.reason;
    } else {
        if (!rule.contains(u"denied"_s) && !rule.contains(u"never stored"_s) && !rule.contains(u"automated"_s))
            QVERIFY(store.recordApproval(fixtures::approval(p, u"alice"_s, at(20))).accepted);
        QString fingerprint = p.plan.fingerprint;
        if (rule.contains(u"another plan"_s))
            fingerprint = fixtures::plan(p.incidentId, { u"pid 4799"_s }).fingerprint;
        const QString approvedBy = rule.contains(u"automated"_s) ? QString()
            : rule.contains(u"never stored"_s)                   ? u"mallory"_s
                                                                 : u"alice"_s;
        const ExecutionClaim claim
            = store.claimExecution(p.id, fingerprint, u"me"_s, approvedBy, rule.contains(u"window"_s) ? late : at(21));
        QVERIFY(!claim.granted);
        QVERIFY(claim.claimedBy.isEmpty());
        QVERIFY2(claim.reason.contains(u"nothing was executed"_s), qPrintable(claim.reason));
        answer = claim.reason;
        QVERIFY(!store.findExecution(p.id));
    }
    QVERIFY2(answer.contains(refusal), qPrintable(answer));
}

// The same proposal, its rules met, is claimed: the refusals above are the rules, not a broken claim.
void StoreContract::theApprovalRulesMetGrantTheClaim()
{
    Store &store = backend().fresh();
    store.saveIncident(fixtures::incident(u"INC-P1"_s, at(0)));
    const Proposal p = fixtures::proposal(u"P1"_s, u"INC-P1"_s, at(10), 2, u"carol"_s);
    store.saveProposal(p);
    QVERIFY(store.recordApproval(fixtures::approval(p, u"alice"_s, at(20))).accepted);
    QVERIFY(store.recordApproval(fixtures::approval(p, u"bob"_s, p.expiresAt - Duration { 1000 })).accepted);
    const ExecutionClaim claim
        = store.claimExecution(p.id, p.plan.fingerprint, u"me"_s, u"alice, bob"_s, p.expiresAt - Duration { 500 });
    QVERIFY2(claim.granted, qPrintable(claim.reason));
}

// The lease: one unfinished execution per resource; and the cooldown as the store holds it at the claim.
void StoreContract::aClaimHoldsTheResourceLeaseAndReadsTheStore()
{
    StoreBackend &b = backend();
    SKIP_WITHOUT_DATABASE(b); // MemoryStore words its refusals otherwise (tst_memorystore)
    Store &store = b.fresh();
    const Proposal first = seed(store, u"1"_s);
    const Proposal second = seed(store, u"2"_s);
    const QString resource = u"service/orders-db"_s;
    auto request = [&](const Proposal &p, const QString &who, int seconds) {
        return ExecutionRequest { p.id, p.plan.fingerprint, who, {}, at(seconds), resource, 10, Duration { 600'000 } };
    };
    const ExecutionClaim running = store.claimExecution(request(first, u"console"_s, 20));
    QVERIFY2(running.granted, qPrintable(running.reason));
    const ExecutionClaim leased = store.claimExecution(request(second, u"run"_s, 21));
    QVERIFY(!leased.granted);
    QVERIFY(leased.claimedBy.isEmpty());
    QVERIFY2(
        leased.reason.contains(running.executionId) && leased.reason.contains(u"console"_s), qPrintable(leased.reason));
    QCOMPARE(leased.retryAt, at(21) + Duration { 15'000 });

    store.finishExecution(running.executionId, ExecutionOutcome::Resolved, at(40));
    store.saveCooldown({ resource, at(220), u"connection-pool-exhaustion ran (resolved)"_s });
    const ExecutionClaim cooling = store.claimExecution(request(second, u"run"_s, 60));
    QVERIFY(!cooling.granted);
    QCOMPARE(cooling.retryAt, at(220));
    QVERIFY2(cooling.reason.contains(u"cools down"_s), qPrintable(cooling.reason));
    QVERIFY(store.claimExecution(request(second, u"run"_s, 221)).granted);
    QVERIFY2(b.failures().isEmpty(), qPrintable(b.failures().join(u'\n')));
}

void StoreContract::anAutomatedClaimAfterAnInterruptionNeedsAHuman()
{
    Store &store = backend().fresh();
    const Proposal first = seed(store, u"1"_s);
    const Proposal second = seed(store, u"2"_s);
    const QString resource = u"service/orders-db"_s;
    const auto x = store.claimExecution({ first.id, first.plan.fingerprint, u"me"_s, {}, at(20), resource, 0, {} });
    store.finishExecution(x.executionId, ExecutionOutcome::Interrupted, at(30));
    QCOMPARE(store.lastExecutionOn(resource)->outcome, std::optional(ExecutionOutcome::Interrupted));
    const ExecutionClaim automated
        = store.claimExecution({ second.id, second.plan.fingerprint, u"me"_s, {}, at(40), resource, 0, {} });
    QVERIFY(!automated.granted);
    QVERIFY(automated.needsApproval);
    QVERIFY(store.recordApproval(fixtures::approval(second, u"alice"_s, at(41))).accepted);
    QVERIFY(store.claimExecution({ second.id, second.plan.fingerprint, u"me"_s, u"alice"_s, at(41), resource, 0, {} })
                .granted);
}

void StoreContract::theRateLimitIsCountedInTheStore()
{
    Store &store = backend().fresh();
    const Proposal first = seed(store, u"1"_s);
    const Proposal second = seed(store, u"2"_s);
    const Duration window { 600'000 };
    QVERIFY(store.claimExecution({ first.id, first.plan.fingerprint, u"a"_s, {}, at(20), u"service/a"_s, 1, window })
                .granted);
    const ExecutionClaim limited
        = store.claimExecution({ second.id, second.plan.fingerprint, u"b"_s, {}, at(30), u"service/b"_s, 1, window });
    QVERIFY(!limited.granted);
    QCOMPARE(limited.retryAt, at(20) + window);
    QCOMPARE(store.automatedRunsSince(at(0)).size(), 1);
}

void StoreContract::aSecondExecutionIsImpossibleByConstraint()
{
    StoreBackend &b = backend();
    SKIP_WITHOUT_DATABASE(b);
    Store &store = b.fresh();
    const Proposal p = seed(store, u"P1"_s);
    QVERIFY(store.claimExecution(p.id, p.plan.fingerprint, u"me"_s, {}, at(20)).granted);
    // Not through the store's code: straight at the table, under another execution id.
    // (A copy of the row under another id: the stores' tables have different columns.)
    const QString error = b.rawExec(u"CREATE TEMP TABLE copied AS SELECT * FROM executions; "
                                    "UPDATE copied SET id = 'other', executor = 'intruder'; "
                                    "INSERT INTO executions SELECT * FROM copied"_s);
    // SQLite: "UNIQUE constraint failed: executions.proposal_id"; PostgreSQL: "executions_proposal_id_key".
    QVERIFY2(error.contains(u"executions.proposal_id"_s) || error.contains(u"executions_proposal_id_key"_s),
        qPrintable(error));
}

void StoreContract::theRequesterDoesNotApprove()
{
    Store &store = backend().fresh();
    const Proposal p = seed(store, u"P1"_s, 2, u"carol"_s);
    const auto own = store.recordApproval(fixtures::approval(p, u"carol"_s, at(20)));
    QVERIFY(!own.accepted);
    QVERIFY2(own.reason.contains(u"carol requested this action"_s), qPrintable(own.reason));
    QVERIFY(store.recordApproval(fixtures::approval(p, u"alice"_s, at(21))).accepted);
    const auto second = store.recordApproval(fixtures::approval(p, u"bob"_s, at(22)));
    QCOMPARE(second.approvers, (QStringList { u"alice"_s, u"bob"_s }));
}

void StoreContract::approvalsBindToThePlanShown()
{
    StoreBackend &b = backend();
    Store &store = b.fresh();
    Proposal p = seed(store, u"P1"_s);
    QVERIFY(store.recordApproval(fixtures::approval(p, u"alice"_s, at(20))).accepted);
    // The world changed: the proposal was re-planned with other targets.
    const QString shown = p.plan.fingerprint;
    p.plan = fixtures::plan(p.incidentId, { u"pid 4720"_s });
    store.saveProposal(p);
    const auto stale = store.recordApproval(Approval { p.id, shown, u"bob"_s, at(30), true, {} });
    QVERIFY(!stale.accepted);
    QVERIFY2(stale.reason.contains(u"the plan changed"_s), qPrintable(stale.reason));
    // The new plan starts from zero approvers.
    QCOMPARE(store.recordApproval(fixtures::approval(p, u"alice"_s, at(31))).approvers, QStringList { u"alice"_s });
    SKIP_WITHOUT_DATABASE(b);
    QCOMPARE(b.scalar(u"SELECT count(*) FROM plans WHERE proposal_id = 'P1'"_s), 2);
}

void StoreContract::lateApprovalsLearnWhoExecutes()
{
    StoreBackend &b = backend();
    SKIP_WITHOUT_DATABASE(b); // MemoryStore words its refusals otherwise (tst_memorystore)
    Store &store = b.fresh();
    const Proposal p = seed(store, u"P1"_s);
    QVERIFY(store.recordApproval(fixtures::approval(p, u"alice"_s, at(20))).accepted);
    QVERIFY(store.claimExecution(p.id, p.plan.fingerprint, u"alice@laptop (pid 1)"_s, u"alice"_s, at(20)).granted);
    const auto late = store.recordApproval(fixtures::approval(p, u"bob"_s, at(25)));
    QVERIFY(!late.accepted);
    QVERIFY2(late.reason.contains(u"approved by alice, run by alice@laptop (pid 1)"_s), qPrintable(late.reason));
    QVERIFY2(late.reason.contains(formatTime(at(20))), qPrintable(late.reason));
}

void StoreContract::unknownProposalsAreRefused()
{
    Store &store = backend().fresh();
    const auto approval = store.recordApproval(Approval { u"nope"_s, u"fp"_s, u"alice"_s, at(1), true, {} });
    QVERIFY(!approval.accepted);
    QVERIFY2(approval.reason.contains(u"no proposal nope"_s), qPrintable(approval.reason));
    const auto claim = store.claimExecution(u"nope"_s, u"fp"_s, u"me"_s, {}, at(1));
    QVERIFY(!claim.granted);
    QVERIFY(claim.claimedBy.isEmpty());
    QVERIFY2(claim.reason.contains(u"nothing was executed"_s), qPrintable(claim.reason));
}

void StoreContract::aStepRunsOnceAndNeverAfterItsExecutionEnded()
{
    StoreBackend &b = backend();
    SKIP_WITHOUT_DATABASE(b);
    Store &store = b.fresh();
    const Proposal p = seed(store, u"P1"_s);
    const auto claim = store.claimExecution(p.id, p.plan.fingerprint, u"me"_s, {}, at(20));
    StepRecord s = fixtures::step(claim.executionId, u"kill_idle"_s, 1, at(21));
    s.id = store.recordStepIntent(s);
    QVERIFY(s.id > 0);
    QCOMPARE(store.recordStepIntent(s), 0);
    QVERIFY2(b.failures().value(0).contains(u"already started"_s), qPrintable(b.failures().value(0)));
    s.outcome = StepResult::Succeeded;
    s.finishedAt = at(22);
    store.recordStepOutcome(s);
    store.recordStepOutcome(s); // a second outcome is refused, the first stays
    QVERIFY2(b.failures().value(1).contains(u"is not in flight"_s), qPrintable(b.failures().value(1)));
    QVERIFY(store.recordStepIntent(fixtures::step(claim.executionId, u"kill_idle"_s, 2, at(23))) > 0);
    store.finishExecution(claim.executionId, ExecutionOutcome::Interrupted, at(24));
    QCOMPARE(store.recordStepIntent(fixtures::step(claim.executionId, u"kill_idle"_s, 3, at(25))), 0);
    QVERIFY2(b.failures().value(2).contains(u"already ended (interrupted)"_s), qPrintable(b.failures().value(2)));
    QCOMPARE(b.scalar(u"SELECT count(*) FROM steps"_s), 2);
}

void StoreContract::executionsInFlightSurviveARestart()
{
    StoreBackend &b = backend();
    SKIP_WITHOUT_DATABASE(b);
    QString executionId;
    {
        Store &store = b.fresh();
        const Proposal p = seed(store, u"P1"_s);
        QVERIFY(store.recordApproval(fixtures::approval(p, u"alice"_s, at(20))).accepted);
        executionId = store.claimExecution(p.id, p.plan.fingerprint, u"me"_s, u"alice"_s, at(20)).executionId;
        StepRecord done = fixtures::step(executionId, u"diagnose"_s, 1, at(21));
        done.id = store.recordStepIntent(done);
        done.outcome = StepResult::Succeeded;
        done.finishedAt = at(22);
        done.affected = { u"pid 4711"_s };
        store.recordStepOutcome(done);
        store.recordStepIntent(fixtures::step(executionId, u"kill_idle"_s, 1, at(23)));
        // The process holding it is still alive: it is not in flight after a crash.
        QVERIFY(store.unfinishedExecutions().isEmpty());
        // The process dies here: no finishExecution.
    }
    Store &store = b.restart();
    const auto unfinished = store.unfinishedExecutions();
    QCOMPARE(unfinished.size(), 1);
    const ExecutionRecord &e = unfinished.front();
    QCOMPARE(e.id, executionId);
    QCOMPARE(e.incidentId, u"INC-P1"_s);
    QCOMPARE(e.approvedBy, u"alice"_s);
    QCOMPARE(e.steps.size(), 2);
    QCOMPARE(e.steps[0].outcome, std::optional(StepResult::Succeeded));
    QCOMPARE(e.steps[0].affected, QStringList { u"pid 4711"_s });
    QVERIFY(!e.steps[1].outcome); // in flight: outcome unknown
    QCOMPARE(e.steps[1].targets, QStringList { u"pid 4711"_s });
    // Recovery: the step in flight gets the outcome unknown, the execution ends interrupted.
    StepRecord inFlight = e.steps[1];
    inFlight.outcome = StepResult::Unknown;
    inFlight.finishedAt = at(100);
    store.recordStepOutcome(inFlight);
    store.finishExecution(executionId, ExecutionOutcome::Interrupted, at(100));
    QVERIFY(store.unfinishedExecutions().isEmpty());
    QVERIFY2(b.failures().isEmpty(), qPrintable(b.failures().join(u'\n')));
}

void StoreContract::breakersAndCooldownsSurviveARestart()
{
    StoreBackend &b = backend();
    SKIP_WITHOUT_DATABASE(b);
    BreakerState open_;
    open_.type = u"connection-pool-exhaustion"_s;
    open_.state = BreakerState::State::Open;
    open_.failures = { at(10), at(200), at(400) };
    open_.openedAt = at(400);
    open_.lastReason = u"3 failures within 10m"_s;
    const Cooldown cooldown { u"database/orders-db"_s, at(580), u"remediated at 400s"_s };
    Store &before = b.fresh();
    QVERIFY(before.loadBreakers().isEmpty());
    before.saveBreaker(open_);
    before.saveCooldown(cooldown);
    Store &store = b.restart();
    const auto breakers = store.loadBreakers();
    QCOMPARE(breakers.size(), 1);
    QCOMPARE(breakers[0].state, BreakerState::State::Open);
    QCOMPARE(breakers[0].failures, open_.failures);
    QCOMPARE(breakers[0].openedAt, open_.openedAt);
    QCOMPARE(breakers[0].lastReason, open_.lastReason);
    const auto cooldowns = store.loadCooldowns();
    QCOMPARE(cooldowns.size(), 1);
    QCOMPARE(cooldowns[0].resource, cooldown.resource);
    QCOMPARE(cooldowns[0].until, cooldown.until);
    // Closing it is a new state, not a reset of the history.
    open_.state = BreakerState::State::Closed;
    open_.openedAt.reset();
    store.saveBreaker(open_);
    QCOMPARE(store.loadBreakers().front().state, BreakerState::State::Closed);
    QVERIFY(!store.loadBreakers().front().openedAt);
}

void StoreContract::drillsAreKept()
{
    StoreBackend &b = backend();
    Store &store = b.fresh();
    QVERIFY(!store.lastDrill(u"connection-pool-exhaustion"_s));
    store.saveDrill({ u"connection-pool-exhaustion"_s, u"pool-leak"_s, true, u"resolved"_s, Duration { 41'000 },
        at(100), u"resolved in 41s, under the 2m bound"_s });
    store.saveDrill({ u"connection-pool-exhaustion"_s, u"pool-leak"_s, false, u"escalated"_s, std::nullopt, at(200),
        u"escalated: verify_recovery failed"_s });
    store.saveDrill({ u"stateless-restart"_s, u"crashloop"_s, true, u"resolved"_s, Duration { 9'000 }, at(300), {} });
    const auto last = store.lastDrill(u"connection-pool-exhaustion"_s);
    QVERIFY(last);
    QCOMPARE(last->passed, false);
    QCOMPARE(last->outcome, u"escalated"_s);
    QVERIFY(!last->mttr);
    QCOMPARE(store.lastDrill(u"stateless-restart"_s)->mttr, Duration { 9'000 });
    SKIP_WITHOUT_DATABASE(b);
    QCOMPARE(b.scalar(u"SELECT count(*) FROM drills WHERE runbook = 'connection-pool-exhaustion'"_s), 2);
}

void StoreContract::incidentsKeepHistoryAlertsAndDiagnostics()
{
    StoreBackend &b = backend();
    SKIP_WITHOUT_DATABASE(b);
    Store &store = b.fresh();
    Incident i = fixtures::incident(u"INC-1"_s, at(30));
    store.saveIncident(i);
    store.saveAlert(i.id, fixtures::alert(i.id, at(0), at(30)));
    i.state = IncidentState::Diagnosing;
    i.history << Transition { IncidentState::Diagnosing, at(31), u"collecting diagnostics"_s };
    i.diagnostics = QJsonObject { { u"db_active_connections"_s, 19 } };
    store.saveIncident(i);
    store.saveIncident(i); // the same snapshot again adds nothing
    i.state = IncidentState::Resolved;
    i.resolvedAt = at(95);
    i.history << Transition { IncidentState::Resolved, at(95), u"pool below 70%"_s };
    store.saveIncident(i);
    b.flush();
    QCOMPARE(b.scalar(u"SELECT count(*) FROM transitions WHERE incident_id = 'INC-1'"_s), 3);
    QCOMPARE(b.scalar(u"SELECT count(*) FROM diagnostics"_s), 1);
    QCOMPARE(b.scalar(u"SELECT count(*) FROM alerts"_s), 1);
    QCOMPARE(b.scalar(u"SELECT resolved_at FROM incidents"_s), toMillis(at(95)));
    QCOMPARE(b.scalar(u"SELECT count(*) FROM audit WHERE kind = 'sealed' AND detail LIKE 'incidents %'"_s), 3);
}

void StoreContract::theSchemaRefusesEditsAndDeletions_data()
{
    QTest::addColumn<int>("backend");
    QTest::addColumn<QString>("sql");
    QTest::addColumn<QString>("refusal");
    const QList<std::tuple<const char *, QString, QString>> edits {
        { "edit an audit row", u"UPDATE audit SET detail = 'nothing happened' WHERE seq = 1"_s, u"append-only"_s },
        { "delete an audit row", u"DELETE FROM audit WHERE seq = 1"_s, u"append-only"_s },
        { "append out of chain", u"INSERT INTO audit VALUES (99, 0, 0, 'approved', '', '', '{}', 'x', 'y')"_s,
            u"only grows at its head"_s },
        { "rewind the head", u"UPDATE audit_head SET seq = 1"_s, u"only moves forward"_s },
        { "change an approval", u"UPDATE approvals SET approver = 'mallory'"_s, u"final"_s },
        { "delete an approval", u"DELETE FROM approvals"_s, u"keeps every record"_s },
        { "rewrite a finished execution", u"UPDATE executions SET outcome = 'resolved'"_s,
            u"only gets its outcome, once"_s },
        { "delete an incident", u"DELETE FROM incidents"_s, u"keeps every record"_s },
        { "approve one's own request",
            u"INSERT INTO approvals (proposal_id, fingerprint, approver, decision, reason, at) "
            "SELECT id, fingerprint, requested_by, 'approved', '', 0 FROM proposals"_s,
            u"cannot approve it"_s },
    };
    for (size_t i = 0; i < m_backends.size(); ++i) {
        if (!m_backends[i]->hasDatabase())
            continue;
        for (const auto &[name, sql, refusal] : edits)
            QTest::addRow("%s: %s", qPrintable(m_backends[i]->name()), name) << int(i) << sql << refusal;
    }
}

void StoreContract::theSchemaRefusesEditsAndDeletions()
{
    QFETCH(QString, sql);
    QFETCH(QString, refusal);
    StoreBackend &b = backend();
    {
        Store &store = b.fresh();
        const Proposal p = seed(store, u"P1"_s, 1, u"carol"_s);
        store.recordApproval(fixtures::approval(p, u"alice"_s, at(20)));
        const auto claim = store.claimExecution(p.id, p.plan.fingerprint, u"me"_s, u"alice"_s, at(21));
        store.finishExecution(claim.executionId, ExecutionOutcome::Escalated, at(22));
        b.flush();
    }
    const QString error = b.rawExec(sql);
    QVERIFY2(!error.isEmpty(), "the statement was accepted");
    QVERIFY2(error.contains(refusal), qPrintable(error));
}

void StoreContract::secretsNeverReachTheDatabase()
{
    StoreBackend &b = backend();
    SKIP_WITHOUT_DATABASE(b);
    const QStringList secrets { u"hunter2-db-pass"_s, u"tok-9f8e7d6c5b4a"_s, u"c2VjcmV0OnNlY3JldA"_s,
        u"R0utingKey42xyz"_s, u"s3cr3t-in-dsn"_s, u"ghp_abcdefghijklmnopqrstuvwxyz0123456789"_s };
    {
        Store &store = b.fresh();
        Incident i = fixtures::incident(u"INC-1"_s, at(0));
        i.annotations = { { u"runbook_url"_s, u"https://ops:hunter2-db-pass@wiki.example.com/pool"_s } };
        i.diagnostics = QJsonObject { { u"connection"_s, u"host=orders-db user=app password=s3cr3t-in-dsn"_s },
            { u"api_key"_s, u"tok-9f8e7d6c5b4a"_s } };
        store.saveIncident(i);
        Proposal p = fixtures::proposal(u"P1"_s, u"INC-1"_s, at(1));
        p.decision.mode = Mode::Auto;
        p.plan.steps[0].params.insert(u"routing_key"_s, u"R0utingKey42xyz"_s);
        store.saveProposal(p);
        store.append(
            { EngineEvent::Kind::Paged, at(2), u"INC-1"_s, u"paged with Authorization: Basic c2VjcmV0OnNlY3JldA"_s,
                QJsonObject { { u"headers"_s, QJsonObject { { u"Authorization"_s, u"Bearer tok-9f8e7d6c5b4a"_s } } },
                    { u"note"_s, u"token ghp_abcdefghijklmnopqrstuvwxyz0123456789 used"_s } } });
        const auto claim = store.claimExecution(p.id, p.plan.fingerprint, u"me"_s, {}, at(3));
        StepRecord s = fixtures::step(claim.executionId, u"kill_idle"_s, 1, at(4));
        s.params.insert(u"password"_s, u"hunter2-db-pass"_s);
        QVERIFY(store.recordStepIntent(s) > 0);
        b.flush();
    }
    QVERIFY(b.holds(u"kill_idle"_s)); // the check reads what was written
    for (const QString &secret : secrets)
        QVERIFY2(!b.holds(secret), qPrintable(b.name() + u" holds "_s + secret));
    QVERIFY(b.scalar(u"SELECT count(*) FROM audit WHERE data LIKE '%[redacted]%'"_s) >= 1);
}

// What a client's event stream resumes from: each event keeps one number, seals are
// not events, and what came after a number is the same whenever it is asked.
void StoreContract::eventsKeepTheirNumbers()
{
    StoreBackend &b = backend();
    Store &store = b.fresh();
    QVERIFY(store.eventsAfter(0, 10).isEmpty());
    seed(store, u"P1"_s); // records sealed into the chain: not events
    store.append(EngineEvent::make(EngineEvent::Kind::Detected, at(1), u"INC-P1"_s, u"pool exhausted"_s));
    store.append(EngineEvent::make(EngineEvent::Kind::Approved, at(2), u"INC-P1"_s, u"alice approved"_s,
        QJsonObject { { u"approver"_s, u"alice"_s } }));
    store.append(EngineEvent::make(EngineEvent::Kind::BreakerOpened, at(3), {}, u"breaker open"_s));

    const auto all = store.eventsAfter(0, 100);
    QCOMPARE(all.size(), 3);
    QCOMPARE(all.at(0).kind, u"detected"_s);
    QCOMPARE(all.at(0).incidentId, u"INC-P1"_s);
    QCOMPARE(all.at(1).data.value(u"approver"_s).toString(), u"alice"_s);
    QCOMPARE(all.at(2).at, at(3));
    QVERIFY(all.at(0).seq < all.at(1).seq && all.at(1).seq < all.at(2).seq);

    // Resuming after the first: the same two, with the same numbers; a limit pages.
    const auto rest = store.eventsAfter(all.at(0).seq, 100);
    QCOMPARE(rest.size(), 2);
    QCOMPARE(rest.at(0).seq, all.at(1).seq);
    const auto page = store.eventsAfter(0, 1);
    QCOMPARE(page.size(), 1);
    QCOMPARE(page.at(0).seq, all.at(0).seq);
    QVERIFY(store.eventsAfter(all.at(2).seq, 100).isEmpty());
    QVERIFY(store.eventsAfter(-5, 0).isEmpty());
    QVERIFY2(b.failures().isEmpty(), qPrintable(b.failures().join(u'\n')));
}

// Everything the engine records about an incident, sealed into one chain that verifies.
void StoreContract::theAuditChainVerifies()
{
    StoreBackend &b = backend();
    SKIP_WITHOUT_DATABASE(b);
    Store &store = b.fresh();
    fixtures::recordIncident(store, u"1"_s, 0);
    fixtures::recordIncident(store, u"2"_s, 100);
    fixtures::recordEngineState(store, 300);
    b.flush();
    QCOMPARE(b.verify(), QString());
    QVERIFY(store.auditCheckpoint());
    QCOMPARE(store.auditCheckpoint()->seq, b.scalar(u"SELECT max(seq) FROM audit"_s));
    QVERIFY2(b.failures().isEmpty(), qPrintable(b.failures().join(u'\n')));
}

} // namespace antibody
