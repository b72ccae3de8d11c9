// Properties over many random fleets, runbooks, failures and humans: whatever
// happens, no executed action exceeds its cap, runs inside a cooldown, runs
// while its breaker is open, or runs without the approval it needed.
#include "tests/engine/doubles/enginerig.h"

#include <QTest>
#include <random>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using namespace antibody::test;
using Kind = EngineEvent::Kind;

namespace {

struct World
{
    std::mt19937_64 rng;
    explicit World(quint64 seed)
        : rng(seed)
    {
    }
    int pick(int lo, int hi) { return std::uniform_int_distribution<int>(lo, hi)(rng); }
    bool chance(double p) { return std::bernoulli_distribution(p)(rng); }
};

Runbook randomRunbook(World &w, int index)
{
    static const QStringList caps { u"10%"_s, u"15%"_s, u"25%"_s, u"50%"_s, u"1"_s, u"2"_s, u"3"_s };
    const QString cap = caps.at(w.pick(0, int(caps.size()) - 1));
    RunbookBuilder b(u"rb%1"_s.arg(index));
    b.level(w.pick(2, 4)).confidence(w.chance(0.7) ? Confidence::High : Confidence::Medium).approvals(w.pick(1, 2));
    b.cooldown(Duration { w.pick(1, 5) * 60'000 });
    b.alert(u"Alert%1"_s.arg(index));
    switch (w.pick(0, 3)) {
    case 0:
        b.step(u"fix"_s, u"restart_pods"_s, { { u"only_unhealthy"_s, u"false"_s } }, cap, {}, w.pick(1, 4));
        break;
    case 1:
        b.step(u"fix"_s, u"reset_connection_pool"_s, {}, cap, {}, w.pick(1, 4));
        break;
    case 2:
        b.step(u"fix"_s, u"scale"_s, { { u"by"_s, QString::number(w.pick(1, 4)) }, { u"max"_s, u"30"_s } }, cap, {}, 1);
        break;
    default:
        b.step(u"fix"_s, u"failover_database"_s, {}, u"1"_s); // approve tier: always needs a human
        break;
    }
    b.step(u"verify"_s, u"wait_for_metric"_s,
        { { u"metric"_s, u"health"_s }, { u"above"_s, u"0.5"_s }, { u"timeout"_s, u"60s"_s } });
    b.step(u"page"_s, u"page_oncall"_s, {}, {}, u"verify.failed"_s);
    return b.build();
}

struct Violation
{
    QString what;
};

} // namespace

class TestProperties : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void invariantsHoldUnderRandomWorlds()
    {
        const int worlds = qEnvironmentVariableIntValue("ANTIBODY_PROPERTY_WORLDS") > 0
            ? qEnvironmentVariableIntValue("ANTIBODY_PROPERTY_WORLDS")
            : 150;
        int executedTotal = 0;
        int approvalsNeeded = 0;
        int breakersOpened = 0;
        for (int seed = 1; seed <= worlds; ++seed) {
            World w(seed);
            EngineRig rig;
            const QStringList services { u"s0"_s, u"s1"_s, u"s2"_s };
            QHash<QString, int> fleetSize;
            for (const QString &svc : services) {
                QList<Target> pods;
                const int n = w.pick(1, 20);
                for (int i = 0; i < n; ++i)
                    pods << pod(u"%1-%2"_s.arg(svc).arg(i), 0.3 + 0.7 * (i % 3) / 2.0, w.chance(0.6));
                rig.workload.setFleet(u"pods"_s, svc, pods);
                Target primary;
                primary.name = svc + u"-primary"_s;
                primary.labels.insert(u"role"_s, u"primary"_s);
                Target replica;
                replica.name = svc + u"-replica"_s;
                replica.labels.insert(u"role"_s, u"replica"_s);
                rig.database.setFleet(u"databases"_s, svc, { primary, replica });
                fleetSize.insert(svc, n);
                rig.metrics.set(u"health"_s, svc, w.chance(0.5) ? 1.0 : 0.0);
            }
            // Executions sometimes fail, and record the fleet they saw.
            const bool flaky = w.chance(0.5);
            QList<std::pair<QString, int>> fleetAtExecution; // incident, fleet size
            auto effect = [&](TestExecutor &ex, const QString &dimension) {
                ex.onExecute([&, dimension](const ActionRequest &r) {
                    fleetAtExecution << std::pair { r.incidentId, int(ex.members(dimension, r.service).size()) };
                    ActionResult out;
                    out.ok = !flaky || w.chance(0.6);
                    out.error = out.ok ? QString() : u"random failure"_s;
                    out.affected = out.ok ? r.targets : QStringList();
                    return out;
                });
            };
            effect(rig.workload, u"pods"_s);
            effect(rig.database, u"databases"_s);
            QList<Runbook> runbooks;
            for (int i = 0; i < 3; ++i)
                runbooks << randomRunbook(w, i);
            rig.start(runbooks);

            // 40 virtual minutes of alerts coming and going, health flapping, and humans clicking.
            QHash<QString, QString> firing;
            for (int minute = 0; minute < 40; ++minute) {
                for (int k = 0; k < 2; ++k) {
                    const QString svc = services.at(w.pick(0, 2));
                    const QString alert = u"Alert%1"_s.arg(w.pick(0, 2));
                    const QString key = alert + svc;
                    if (firing.contains(key) && w.chance(0.5))
                        rig.alerts.resolve(firing.take(key));
                    else if (!firing.contains(key))
                        firing.insert(key, rig.alerts.fire(alert, { { u"service"_s, svc } }));
                }
                if (w.chance(0.3))
                    rig.metrics.set(u"health"_s, services.at(w.pick(0, 2)), w.chance(0.5) ? 1.0 : 0.0);
                for (const Incident &inc : rig.engine->incidents()) {
                    if (inc.state != IncidentState::AwaitingApproval || !w.chance(0.5))
                        continue;
                    const Proposal p = rig.currentProposal(inc);
                    const QString who = QStringList { u"alice"_s, u"bob"_s, u"carol"_s }.at(w.pick(0, 2));
                    const QString fp = w.chance(0.2) ? u"stale"_s : p.plan.fingerprint;
                    rig.engine->approve(p.id, fp, who);
                }
                if (w.chance(0.05) && !rig.engine->breakers().isEmpty())
                    rig.engine->resetBreaker(rig.engine->breakers().front().type, u"alice"_s);
                rig.run(1min);
            }
            rig.run(10min);

            // --- the invariants, from what was recorded --------------------------
            QHash<QString, Runbook> runbookByName;
            for (const Runbook &rb : runbooks)
                runbookByName.insert(rb.name, rb);
            QStringList violations;
            const auto fail = [&](const QString &what) { violations << what; };
            // 1. caps: every pass touched no more than its cap allows on the fleet it saw
            for (const EngineEvent &e : rig.eventsOf(Kind::StepStarted)) {
                if (!e.data.contains(u"cap"_s))
                    continue;
                if (e.data.value(u"affected"_s).toInt() > e.data.value(u"cap"_s).toInt())
                    fail(u"%1 exceeded its cap: %2"_s.arg(e.incidentId, e.detail));
                const Incident inc = *rig.engine->incident(e.incidentId);
                const Step *step = runbookByName.value(inc.runbook).step(e.data.value(u"step"_s).toString());
                const int allowed = step->blastRadius->cap.allowed(std::max(1, e.data.value(u"total"_s).toInt()));
                if (e.data.value(u"affected"_s).toInt() > allowed)
                    fail(u"%1 touched %2, more than %3 allows"_s.arg(e.incidentId)
                             .arg(e.data.value(u"affected"_s).toInt())
                             .arg(step->blastRadius->cap.text));
            }
            // 2. cooldowns: no execution on a service starts before the previous one's cooldown ended
            QHash<QString, TimePoint> cooldownUntil;
            QHash<QString, QString> runningOn;
            for (const EngineEvent &e : rig.events) {
                const auto inc = e.incidentId.isEmpty() ? std::nullopt : rig.engine->incident(e.incidentId);
                if (!inc)
                    continue;
                if (e.kind == Kind::CooldownStarted)
                    cooldownUntil.insert(inc->service, *parseTime(e.data.value(u"until"_s).toString()));
                if (e.kind == Kind::StepStarted && e.data.value(u"pass"_s).toInt() == 1) {
                    if (cooldownUntil.contains(inc->service) && e.at < cooldownUntil.value(inc->service))
                        fail(u"%1 acted on %2 inside its cooldown"_s.arg(e.incidentId, inc->service));
                    if (!runningOn.value(inc->service).isEmpty() && runningOn.value(inc->service) != e.incidentId)
                        fail(u"two remediations at once on %1"_s.arg(inc->service));
                    runningOn.insert(inc->service, e.incidentId);
                }
                if (e.kind == Kind::CooldownStarted)
                    runningOn.remove(inc->service);
            }
            // 3. breakers: no automated pass of a type while its breaker is open
            QHash<QString, bool> open;
            QSet<QString> humanApproved;
            for (const EngineEvent &e : rig.events) {
                if (e.kind == Kind::BreakerOpened) {
                    open.insert(e.data.value(u"type"_s).toString(), true);
                    ++breakersOpened;
                }
                if (e.kind == Kind::BreakerHalfOpen || e.kind == Kind::BreakerReset || e.kind == Kind::BreakerClosed)
                    open.insert(e.data.value(u"type"_s).toString(), false);
                if (e.kind == Kind::Approved)
                    humanApproved.insert(e.incidentId);
                if (e.kind == Kind::StepStarted && e.data.contains(u"pass"_s)) {
                    const Incident inc = *rig.engine->incident(e.incidentId);
                    if (open.value(inc.runbook) && !humanApproved.contains(e.incidentId))
                        fail(u"%1 ran %2 with the breaker of %3 open"_s.arg(e.incidentId, e.detail, inc.runbook));
                }
            }
            // 4. approvals: whatever needed a human ran only after enough distinct approvals of that plan
            for (const EngineEvent &e : rig.eventsOf(Kind::Proposed)) {
                if (e.data.value(u"mode"_s).toString() != u"approve")
                    continue;
                ++approvalsNeeded;
                const QString proposal = e.data.value(u"proposal"_s).toString();
                QSet<QString> approvers;
                TimePoint quorumAt = TimePoint::max();
                for (const EngineEvent &a : rig.eventsOf(Kind::Approved)) {
                    if (a.data.value(u"proposal"_s).toString() != proposal
                        || a.data.value(u"fingerprint"_s).toString() != e.data.value(u"fingerprint"_s).toString())
                        continue;
                    approvers.insert(a.data.value(u"approver"_s).toString());
                    if (approvers.size() >= e.data.value(u"approvals_required"_s).toInt())
                        quorumAt = std::min(quorumAt, a.at);
                }
                for (const auto &[id, x] : rig.store.executions().asKeyValueRange()) {
                    if (x.proposalId != proposal)
                        continue;
                    if (x.startedAt < quorumAt)
                        fail(u"%1 executed without the approvals it needed"_s.arg(proposal));
                    const QStringList names = x.approvedBy.split(u", "_s, Qt::SkipEmptyParts);
                    if (QSet<QString>(names.begin(), names.end()).size()
                        < e.data.value(u"approvals_required"_s).toInt())
                        fail(u"%1 executed with too few distinct approvers: %2"_s.arg(proposal, x.approvedBy));
                }
            }
            // and never an approve-tier action without a human
            for (const ExecutedAction &a : rig.database.executed) {
                if (a.action == u"failover_database" && !humanApproved.contains(a.incident))
                    fail(u"%1 failed over a database without approval"_s.arg(a.incident));
            }
            if (!violations.isEmpty())
                QFAIL(qPrintable(
                    u"seed %1: %2\n%3"_s.arg(seed).arg(violations.join(u"\n"_s), rig.timeline().left(20000))));
            executedTotal += int(rig.workload.executed.size() + rig.database.executed.size());
        }
        // The worlds must actually exercise the rules, or the properties prove nothing.
        QVERIFY2(executedTotal > worlds, qPrintable(QString::number(executedTotal)));
        QVERIFY2(approvalsNeeded > worlds / 2, qPrintable(QString::number(approvalsNeeded)));
        QVERIFY2(breakersOpened > 0, "no breaker ever opened");
        qInfo("%d worlds: %d actions executed, %d proposals needed approval, %d breakers opened", worlds, executedTotal,
            approvalsNeeded, breakersOpened);
    }
};

QTEST_GUILESS_MAIN(TestProperties)
#include "tst_properties.moc"
