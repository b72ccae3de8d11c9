// The team engine's guarantees across replicas, in virtual time (tests/store/teamrig.h):
// replicas of antibody-server on one PostgreSQL database, one shared connection pool
// whose executor counts every call, and processes killed, paused and stopped at many
// points of a remediation. Whatever happens to the leader, a step of a remediation
// reaches the pool at most once, a standby acts within 15 s of the leader's death, an
// execution the dead leader left in flight is never re-run blindly (a person approves
// the next one there), a paused leader that wakes writes nothing, and the audit chain
// verifies. The same with real processes and SIGKILL: tst_serverfailover.
#include "pgharness.h"
#include "teamrig.h"
#include "tests/engine/doubles/poolworld.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::pgtest;

namespace {

bool allFinal(TeamReplica &r)
{
    const auto incidents = r.rig->engine->incidents();
    return std::ranges::all_of(incidents, [](const Incident &i) { return isFinal(i.state); });
}

QString describe(const QList<PoolCall> &calls)
{
    QString out;
    for (const PoolCall &c : calls) {
        out += u"  %1 %2 %3 pass %4: %5 of %6 (affected %7)\n"_s.arg(c.replica, c.executionId, c.step)
                   .arg(c.pass)
                   .arg(c.targets.join(u","_s))
                   .arg(c.fleetSize)
                   .arg(c.affected.size());
    }
    return out;
}

// What the pool's executor saw breaks no rule: no pass of an execution twice, no target
// that was already gone (a blind re-run would aim at connections terminated before), and
// no pass over the runbook's cap of 15% of the pool.
QString poolCallProblem(const QList<PoolCall> &calls)
{
    QSet<QString> seen;
    for (const PoolCall &c : calls) {
        const QString key = u"%1/%2/%3"_s.arg(c.executionId, c.step).arg(c.pass);
        if (seen.contains(key))
            return u"pass %1 reached the pool twice"_s.arg(key);
        seen.insert(key);
        if (c.affected.size() != c.targets.size())
            return u"%1 aimed at connections already gone: %2"_s.arg(key, c.targets.join(u", "_s));
        if (c.targets.size() > std::ceil(0.15 * c.fleetSize))
            return u"%1 terminated %2 of %3"_s.arg(key).arg(c.targets.size()).arg(c.fleetSize);
    }
    return {};
}

// A person on call: when a proposal waits for approval, reads it for two minutes, then
// approves exactly the plan shown.
bool approveWhatWaits(TeamRig &team, const QString &who)
{
    TeamReplica *leader = team.leader();
    if (!leader)
        return false;
    for (const Incident &i : leader->rig->engine->incidents()) {
        if (i.state != IncidentState::AwaitingApproval)
            continue;
        const auto shown = leader->rig->engine->proposal(i.proposalId);
        team.advanceBy(Duration { 2 * 60'000 });
        if (!shown || team.leader() != leader)
            return false;
        return leader->rig->engine->approve(shown->id, shown->plan.fingerprint, who).status
            == Engine::ApprovalResult::Status::Executing;
    }
    return false;
}

bool waitsForApproval(TeamRig &team)
{
    TeamReplica *leader = team.leader();
    if (!leader)
        return false;
    const auto incidents = leader->rig->engine->incidents();
    return std::ranges::any_of(incidents, [](const Incident &i) { return i.state == IncidentState::AwaitingApproval; });
}

// The rest of a round on whoever leads: healed (approving what waits), or escalated; then
// the alert resolves and every incident ends.
bool finishRound(TeamRig &team)
{
    const auto settled = [&] { return team.utilization() < 0.7 || waitsForApproval(team); };
    for (int approvals = 0; approvals < 3; ++approvals) {
        if (!team.runUntil(settled, Duration { 10 * 60'000 }))
            break;
        if (!waitsForApproval(team) || !approveWhatWaits(team, u"dana"_s))
            break;
    }
    team.runUntil([&] { return team.utilization() < 0.7; }, Duration { 5 * 60'000 });
    team.resolvePoolAlert();
    return team.runUntil([&] { return team.leader() && allFinal(*team.leader()); }, Duration { 5 * 60'000 });
}

struct ExecutionRow
{
    QString id, executor, approvedBy, outcome;
};

QList<ExecutionRow> executions(PgConnection &db)
{
    QList<ExecutionRow> out;
    const PgRows rows
        = db.exec(u"SELECT id, executor, approved_by, coalesce(outcome, '') FROM executions ORDER BY started_at, id"_s);
    for (const QStringList &r : rows.rows)
        out << ExecutionRow { r.value(0), r.value(1), r.value(2), r.value(3) };
    return out;
}

} // namespace

class TestTeamEngine : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aRoundHealsOnceOnTheLeaderWhileTheStandbyWaits()
    {
        TeamRig team(createDatabase(u"team"_s));
        TeamReplica &a = team.join(u"replica-a"_s);
        TeamReplica &b = team.join(u"replica-b"_s);
        QVERIFY(team.runUntil([&] { return team.leader() != nullptr; }, Duration { 5'000 }));
        QCOMPARE(team.leader(), &a);
        team.exhaustPool();
        team.firePoolAlert();
        const TimePoint fired = team.now();
        QVERIFY2(team.runUntil([&] { return team.utilization() < 0.7; }, Duration { 10 * 60'000 }),
            qPrintable(a.rig->timeline()));
        team.resolvePoolAlert();
        QVERIFY2(team.runUntil([&] { return allFinal(a); }, Duration { 5 * 60'000 }), qPrintable(a.rig->timeline()));
        qInfo("healed %s after the alert:\n%s%s", qPrintable(formatDuration(team.now() - fired)),
            qPrintable(a.rig->timeline()), qPrintable(describe(team.poolCalls())));
        QVERIFY(!b.engineStarted);
        QVERIFY2(poolCallProblem(team.poolCalls()).isEmpty(), qPrintable(poolCallProblem(team.poolCalls())));
        QVERIFY(a.failures.isEmpty());
        QVERIFY(b.failures.isEmpty());
        const auto look = pgtest::look(team.database());
        QCOMPARE(auditProblems(*look), QString());
    }

    // The leader dies at 52 moments of a round (every half second from the alert until
    // the pool is healed: detection, diagnosis, each pass and the wait between them, the
    // verification) and at each of its three passes just before it acts. Each time a
    // standby leads within 15 s; an execution left unfinished is recorded interrupted and
    // the next one on the pool runs only once a person approved it; no pass reaches the
    // pool twice; what the dead leader still tries to write is refused by the epoch.
    void aLeaderKilledAtFiftyFivePointsNeverRunsAStepTwice()
    {
        TeamRig team(createDatabase(u"kills"_s));
        const auto look = pgtest::look(team.database());
        int joined = 0;
        const auto standBy = [&] { return &team.join(u"replica-%1"_s.arg(++joined)); };
        standBy();
        QVERIFY(team.runUntil([&] { return team.leader() != nullptr; }, Duration { 5'000 }));
        struct Point
        {
            Duration afterAlert { 0 };
            int dieBeforePass = 0; // 0: killed at the time
        };
        QList<Point> points;
        for (int i = 0; i < 52; ++i)
            points << Point { Duration { 500 * i }, 0 };
        for (int pass = 1; pass <= 3; ++pass)
            points << Point { Duration { 0 }, pass };

        Duration slowest { 0 };
        int interrupted = 0;
        for (const Point &point : points) {
            const QString where = point.dieBeforePass ? u"before pass %1"_s.arg(point.dieBeforePass)
                                                      : formatDuration(point.afterAlert) + u" after the alert"_s;
            standBy();
            TeamReplica *leader = team.leader();
            QVERIFY(leader);
            const auto before = executions(*look);
            team.exhaustPool();
            team.firePoolAlert();
            if (point.dieBeforePass) {
                leader->dieBeforeActing = [&point](const ActionRequest &r) { return r.pass == point.dieBeforePass; };
                QVERIFY2(team.runUntil([&] { return leader->dead; }, Duration { 5 * 60'000 }), qPrintable(where));
            } else {
                team.advanceBy(point.afterAlert);
                team.kill(*leader);
            }
            const TimePoint killedAt = team.now();
            QVERIFY2(team.runUntil([&] { return team.leader() != nullptr; }, Duration { 15'000 }, Duration { 100 }),
                qPrintable(u"nobody leads 15 s after the leader died %1"_s.arg(where)));
            const TeamReplica *next = team.leader();
            slowest = std::max(slowest, *next->ledAt - killedAt);
            QVERIFY(next->epoch > leader->epoch);
            QVERIFY2(finishRound(team), qPrintable(where + u"\n"_s + next->rig->timeline()));

            // What the dead leader left unfinished was read back as interrupted, and every
            // execution on the pool after it was approved by a person.
            const auto after = executions(*look);
            bool afterInterruption = false;
            for (qsizetype i = before.size(); i < after.size(); ++i) {
                const ExecutionRow &x = after[i];
                QVERIFY2(!x.outcome.isEmpty(), qPrintable(where + u": unfinished "_s + x.id));
                if (afterInterruption)
                    QVERIFY2(x.approvedBy == u"dana"_s, qPrintable(where + u": ran unapproved "_s + x.id));
                if (x.outcome == u"interrupted"_s) {
                    QCOMPARE(x.executor, leader->name);
                    afterInterruption = true;
                    ++interrupted;
                }
            }
            const QString calls = poolCallProblem(team.poolCalls());
            QVERIFY2(calls.isEmpty(), qPrintable(where + u": "_s + calls + u"\n"_s + describe(team.poolCalls())));
            team.reap();
            // The breaker's ten minutes and the pool's cooldown pass before the next round.
            team.advanceBy(Duration { 16 * 60'000 });
        }
        QCOMPARE(auditProblems(*look), QString());
        qInfo("%lld kill points: the slowest takeover %s after the kill; %d executions interrupted, each followed "
              "only by approved ones",
            points.size(), qPrintable(formatDuration(slowest)), interrupted);
        QVERIFY(slowest <= Duration { 15'000 });
        QVERIFY(interrupted >= 20); // most points fall inside an execution
    }

    void aPausedLeaderWakesFencedOut_data()
    {
        QTest::addColumn<bool>("clockJumped");
        QTest::newRow("SIGSTOP, SIGCONT: its clock counted the pause") << true;
        QTest::newRow("a suspended VM: its clock did not") << false;
    }

    // The leader stops mid-pass for 20 s; a standby leads and reads its execution back as
    // interrupted. When the old leader runs again, its own clock may say it still leads:
    // the epoch refuses whatever it writes, it ends, and nothing more of it reaches the pool.
    void aPausedLeaderWakesFencedOut()
    {
        QFETCH(bool, clockJumped);
        TeamRig team(createDatabase(u"pause"_s));
        TeamReplica &a = team.join(u"replica-a"_s);
        TeamReplica &b = team.join(u"replica-b"_s);
        QVERIFY(team.runUntil([&] { return team.leader() == &a; }, Duration { 5'000 }));
        team.exhaustPool();
        team.firePoolAlert();
        QVERIFY(team.runUntil([&] { return !team.poolCalls().isEmpty(); }, Duration { 60'000 }, Duration { 100 }));
        team.pause(a); // the pass acted; its answer has not come back

        QVERIFY(team.runUntil([&] { return team.leader() == &b; }, Duration { 15'000 }, Duration { 100 }));
        team.advanceBy(Duration { 20'000 } - (team.now() - *b.ledAt));
        const auto look = pgtest::look(team.database());
        QCOMPARE(scalar(*look, u"SELECT count(*) FROM executions WHERE outcome = 'interrupted'"_s), 1);
        const qsizetype callsAtWake = team.poolCalls().size();
        const QString stepsOfA
            = u"SELECT string_agg(step || ' ' || pass || ' ' || coalesce(outcome, '-') || ' ' || "
              "coalesce(finished_at, 0), '; ' ORDER BY id) FROM steps WHERE execution_id = '%1'"_s.arg(
                  team.poolCalls().front().executionId);
        const QString stepsAtWake = look->exec(stepsOfA).rows.value(0).value(0);

        team.resume(a, clockJumped);
        QVERIFY2(team.runUntil([&] { return a.dead; }, Duration { 10'000 }, Duration { 100 }),
            qPrintable(a.failures.join(u'\n')));
        if (!clockJumped) {
            // It believed it led; the database did not.
            QVERIFY2(std::ranges::any_of(
                         a.failures, [](const QString &f) { return f.contains(u"another replica leads now"_s); }),
                qPrintable(a.failures.join(u'\n')));
        }
        qInfo("the old leader woke and ended: %s", qPrintable(a.failures.join(u"\n  "_s)));
        QCOMPARE(team.poolCalls().size(), callsAtWake);
        QCOMPARE(scalar(*look, u"SELECT count(*) FROM executions WHERE outcome = 'interrupted'"_s), 1);
        QCOMPARE(look->exec(stepsOfA).rows.value(0).value(0), stepsAtWake); // its late answer was not recorded

        QVERIFY2(finishRound(team), qPrintable(b.rig->timeline()));
        QCOMPARE(poolCallProblem(team.poolCalls()), QString());
        QCOMPARE(auditProblems(*look), QString());
    }

    // The done-when of the team engine: 500 rounds of the pool alert on two replicas of
    // one database, the leader handing over every 25th round at a different moment of
    // the round: stopped (SIGTERM), killed, paused and woken with its clock jumped, or
    // with its clock behind. Counted at the pool's executor: every remediation reached
    // the pool once, each pass once, never over the cap; a round without a handover runs
    // exactly one execution; one with a handover at most the interrupted one and the one
    // a person approved after it.
    void fiveHundredRoundsAcrossHandoversExecuteEachRemediationOnce()
    {
        TeamRig team(createDatabase(u"rounds"_s));
        // A cooldown of 20 s instead of 3 min: the rounds follow each other sooner, the
        // rules are the same.
        Runbook runbook = test::PoolWorld::runbook(3);
        runbook.cooldown = Duration { 20'000 };
        team.setRunbook(runbook);
        const auto look = pgtest::look(team.database());
        int joined = 0;
        const auto join = [&] { team.join(u"replica-%1"_s.arg(++joined)); };
        join();
        join();
        QVERIFY(team.runUntil([&] { return team.leader() != nullptr; }, Duration { 5'000 }));
        constexpr int rounds = 500;
        constexpr int handoverEvery = 25;
        int handovers = 0;
        int healedAlone = 0;
        qsizetype executionsBefore = 0;
        for (int round = 0; round < rounds; ++round) {
            const QString where = u"round %1"_s.arg(round);
            TeamReplica *leader = team.leader();
            QVERIFY2(leader, qPrintable(where));
            const qsizetype callsBefore = team.poolCalls().size();
            team.exhaustPool();
            team.firePoolAlert();
            const bool handover = round % handoverEvery == handoverEvery - 1;
            if (handover) {
                ++handovers;
                team.advanceBy(Duration { 1'700 * (handovers % 15) }); // 0 to 24 s: any moment of the round
                switch (handovers % 4) {
                case 0:
                    team.terminate(*leader);
                    break;
                case 1:
                    team.kill(*leader);
                    break;
                default:
                    team.pause(*leader);
                    break;
                }
                QVERIFY2(team.runUntil([&] { return team.leader() != nullptr; }, Duration { 15'000 }, Duration { 100 }),
                    qPrintable(where));
                if (leader->frozen && !leader->dead)
                    team.resume(*leader, handovers % 4 == 2);
            }
            QVERIFY2(finishRound(team), qPrintable(where + u"\n"_s + team.leader()->rig->timeline()));
            team.reap();
            if (team.replicas().size() < 2)
                join(); // systemd starts the ended process again, as a standby

            const auto all = executions(*look);
            QSet<QString> reached;
            for (qsizetype i = callsBefore; i < team.poolCalls().size(); ++i)
                reached.insert(team.poolCalls()[i].executionId);
            const qsizetype added = all.size() - executionsBefore;
            executionsBefore = all.size();
            if (!handover) {
                QVERIFY2(added == 1 && reached.size() == 1 && all.back().outcome == u"resolved"_s,
                    qPrintable(u"%1: %2 executions, %3 reached the pool"_s.arg(where).arg(added).arg(reached.size())));
                ++healedAlone;
            } else {
                QVERIFY2(added <= 2 && reached.size() <= 2, qPrintable(where));
                if (added == 2) {
                    QCOMPARE(all[all.size() - 2].outcome, u"interrupted"_s);
                    QCOMPARE(all.back().approvedBy, u"dana"_s);
                }
            }
            // The pool's cooldown ends before the next alert.
            team.advanceBy(Duration { 30'000 });
        }
        const QString calls = poolCallProblem(team.poolCalls());
        QVERIFY2(calls.isEmpty(), qPrintable(calls));
        QCOMPARE(auditProblems(*look), QString());
        QSet<QString> distinct;
        for (const PoolCall &c : team.poolCalls())
            distinct.insert(c.executionId);
        qInfo("%d rounds, %d handovers: %lld executions recorded, %lld reached the pool in %lld calls, none twice; "
              "%d rounds healed by one execution",
            rounds, handovers, executionsBefore, distinct.size(), team.poolCalls().size(), healedAlone);
    }
};

QTEST_GUILESS_MAIN(TestTeamEngine)
#include "tst_teamengine.moc"
