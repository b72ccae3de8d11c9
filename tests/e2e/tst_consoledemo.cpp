// The console's demo: within the first real minute at its pace, a new user sees a
// Level 3 auto-heal, a Level 2 proposal waiting with its preview, a breaker opening
// with a page, and a never-automate escalation. Run here in virtual time, through
// the real engine and the shipped runbooks, with nobody answering approvals.
#include "models/incidentmodel.h"
#include "models/present/groupedalerts.h"
#include "scenariorig.h"
#include "simulator/scenarios/consoledemo.h"

#include <QAbstractItemModelTester>

using namespace std::chrono_literals;

namespace antibody::e2e {

class TestConsoleDemo : public QObject
{
    Q_OBJECT

    struct Demo
    {
        explicit Demo(TimePoint start)
            : clock(start)
        {
            ScenarioRun::Options options;
            options.approvals = ScenarioRun::Approvals::None;
            options.runbooks = shippedRunbooks();
            run = std::make_unique<ScenarioRun>(sim::consoleDemo(), clock, options);
            run->start();
            // One real minute of watching.
            clock.advanceTo(start + std::chrono::duration_cast<Duration>(60s * sim::consoleDemoPace));
        }

        QList<EngineEvent> events(EngineEvent::Kind kind, const QString &incident = {}) const
        {
            QList<EngineEvent> out;
            for (const EngineEvent &e : run->events()) {
                if (e.kind == kind && (incident.isEmpty() || e.incidentId == incident))
                    out << e;
            }
            return out;
        }
        // The first incident of this runbook, or the first of them in this state.
        std::optional<Incident> byRunbook(const QString &runbook, std::optional<IncidentState> state = {}) const
        {
            QList<Incident> incidents = run->incidents();
            std::sort(incidents.begin(), incidents.end(),
                [](const Incident &a, const Incident &b) { return a.detectedAt < b.detectedAt; });
            for (const Incident &i : std::as_const(incidents)) {
                if (i.runbook == runbook && (!state || i.state == *state))
                    return i;
            }
            return std::nullopt;
        }

        VirtualClock clock;
        std::unique_ptr<ScenarioRun> run;
    };

private Q_SLOTS:
    void showsTheFourSituationsWithinAMinute_data()
    {
        QTest::addColumn<QString>("start");
        QTest::addRow("afternoon") << u"2026-11-27T14:00:00Z"_s;
        QTest::addRow("3 a.m.") << u"2026-12-02T03:00:00Z"_s;
    }

    void showsTheFourSituationsWithinAMinute()
    {
        QFETCH(QString, start);
        Demo demo(*parseTime(start));

        // A Level 3 auto-heal: the pool leak, fixed by killing idle connections, nobody asked.
        const auto pool = demo.byRunbook(u"connection-pool-exhaustion"_s, IncidentState::Resolved);
        QVERIFY(pool);
        QVERIFY(demo.events(EngineEvent::Kind::ApprovalRequested, pool->id).isEmpty());
        QVERIFY(!demo.events(EngineEvent::Kind::Notified, pool->id).isEmpty());
        QVERIFY(demo.run->actionsExecuted().value(u"terminate_connections"_s) >= 1);

        // A Level 2 proposal waiting, with its blast radius: the region failover.
        const auto region = demo.byRunbook(u"region-failover"_s, IncidentState::AwaitingApproval);
        QVERIFY(region);
        std::optional<Proposal> waiting;
        for (const Proposal &p : demo.run->proposals()) {
            if (p.incidentId == region->id && p.state == Proposal::State::Pending)
                waiting = p;
        }
        QVERIFY(waiting);
        bool previewed = false;
        for (const PlannedStep &s : waiting->plan.steps)
            previewed = previewed || (s.blastRadius && s.blastRadius->affected() >= 1);
        QVERIFY2(previewed, "the waiting plan shows what it would touch");
        QCOMPARE(demo.run->actionsExecuted().value(u"failover_region"_s), 0);

        // A breaker opening with a page: restarts cannot fix the crash loop.
        const QList<EngineEvent> opened = demo.events(EngineEvent::Kind::BreakerOpened);
        QVERIFY(!opened.isEmpty());
        const auto crash = demo.byRunbook(u"pod-crashloop-restart"_s);
        QVERIFY(crash);
        QVERIFY(!demo.events(EngineEvent::Kind::Paged, crash->id).isEmpty() || !demo.run->pages().isEmpty());
        QCOMPARE(demo.run->actionsExecuted().value(u"restart_pods"_s), 3);

        // A never-automate escalation: the corrupted pages, nothing destructive ran on them.
        bool guarded = false;
        for (const Incident &i : demo.run->incidents()) {
            if (i.state == IncidentState::Escalated && i.guards.contains(Guard::DataCorruption))
                guarded = true;
        }
        QVERIFY2(guarded, "an incident is escalated under the data-corruption guard");
        QCOMPARE(demo.run->actionsExecuted().value(u"failover_database"_s), 0);
        QVERIFY(demo.run->evidenceLost().isEmpty());
    }

    // One line per problem in the console's list: the crash loop tries again inside its
    // one incident, the failover's services and their error rates are one incident.
    void theFirstMinuteShowsOneLinePerProblem()
    {
        Demo demo(*parseTime(u"2026-12-02T03:00:00Z"_s));
        IncidentModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        for (const Incident &i : demo.run->incidents())
            model.upsert(i);
        model.flush();
        QMap<QString, int> lines;
        QStringList said;
        for (int row = 0; row < model.rowCount(); ++row) {
            const Incident &i = model.incidentAt(row);
            ++lines[i.runbook.isEmpty() ? u"alert:"_s + i.labels.value(u"alertname"_s) : i.runbook];
            said << u"%1 %2 %3"_s.arg(i.id, i.runbook, i.title);
        }
        const QByteArray all = said.join(u"\n"_s).toUtf8();
        QVERIFY2(lines.value(u"pod-crashloop-restart"_s) == 1, all.constData());
        QVERIFY2(lines.value(u"region-failover"_s) == 1, all.constData());
        // The failover's alerts are inside it: once it is open, no service's error rate opens a line of its own.
        const auto region = demo.byRunbook(u"region-failover"_s);
        QVERIFY(region);
        for (int row = 0; row < model.rowCount(); ++row) {
            const Incident &i = model.incidentAt(row);
            if (i.labels.value(u"alertname"_s) == u"HighErrorRate"_s)
                QVERIFY2(i.detectedAt < region->detectedAt, all.constData());
        }
        QVERIFY2(region->alertFingerprints.size() >= 2, all.constData());
        QVERIFY(groupedAlertLines(*region).size() >= 2);
        // The crash loop opened its breaker from that one incident.
        QCOMPARE(demo.events(EngineEvent::Kind::BreakerOpened).size(), 1);
    }

    void theSameSeedPlaysTheSameDemo()
    {
        const TimePoint start = *parseTime(u"2026-11-27T14:00:00Z"_s);
        Demo a(start);
        Demo b(start);
        QCOMPARE(a.run->events().size(), b.run->events().size());
        for (qsizetype i = 0; i < a.run->events().size(); ++i) {
            QCOMPARE(a.run->events().at(i).kindName(), b.run->events().at(i).kindName());
            QCOMPARE(a.run->events().at(i).detail, b.run->events().at(i).detail);
        }
    }
};

} // namespace antibody::e2e

QTEST_GUILESS_MAIN(antibody::e2e::TestConsoleDemo)
#include "tst_consoledemo.moc"
