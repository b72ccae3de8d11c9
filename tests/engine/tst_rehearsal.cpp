#include "doubles/runbookbuilder.h"
#include "doubles/testports.h"
#include "engine/rehearsal/drillschedule.h"
#include "engine/rehearsal/drillverdict.h"
#include "engine/rehearsal/triggersubject.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using antibody::test::RunbookBuilder;
using antibody::test::TestMetrics;

// Rehearsals: when drills are due, how a drill is judged, and which alert a dry
// run plans for. All in virtual time.
class TestRehearsal : public QObject
{
    Q_OBJECT
private:
    static TimePoint now() { return fromMillis(1'780'000'000'000); }

    static Incident incident(IncidentState state, Duration toResolve = 0s)
    {
        Incident i;
        i.id = u"INC-1"_s;
        i.detectedAt = now() - 10min;
        i.state = state;
        i.history << Transition { state, now(), u"the last word"_s };
        if (state == IncidentState::Resolved)
            i.resolvedAt = i.detectedAt + toResolve;
        return i;
    }

    static TriggerSubject subjectOf(
        const Runbook &rb, VirtualClock &clock, MetricSource *metrics, const QList<Labels> &firing)
    {
        std::optional<TriggerSubject> got;
        findTriggerSubject(rb, clock, metrics, firing, [&](const TriggerSubject &s) { got = s; });
        if (got)
            qFatal("the subject arrived inside the call");
        clock.advanceBy(1s);
        if (!got)
            qFatal("no subject after a second");
        return *got;
    }

private Q_SLOTS:
    void drillsAreDueMonthly_data()
    {
        QTest::addColumn<bool>("drilled");
        QTest::addColumn<bool>("passed");
        QTest::addColumn<qint64>("daysAgo");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("summary");
        using S = DrillSchedule::Status;
        QTest::addRow("never") << false << false << qint64(0) << int(S::Never) << u"never drilled"_s;
        QTest::addRow("passed yesterday") << true << true << qint64(1) << int(S::Fresh) << u"passed 24 hours ago"_s;
        QTest::addRow("passed 30 days ago") << true << true << qint64(30) << int(S::Fresh) << u"passed 30 days ago"_s;
        QTest::addRow("passed 31 days ago") << true << true << qint64(31) << int(S::Overdue) << u"passed 31 days ago"_s;
        QTest::addRow("failed 3 days ago") << true << false << qint64(3) << int(S::Failed) << u"failed 3 days ago"_s;
        QTest::addRow("failed long ago is overdue")
            << true << false << qint64(90) << int(S::Overdue) << u"failed 90 days ago"_s;
    }
    void drillsAreDueMonthly()
    {
        QFETCH(bool, drilled);
        QFETCH(bool, passed);
        QFETCH(qint64, daysAgo);
        QFETCH(int, status);
        QFETCH(QString, summary);
        std::optional<DrillResult> last;
        if (drilled)
            last = DrillResult { u"rb"_s, u"s"_s, passed, u"resolved"_s, std::nullopt,
                now() - std::chrono::days(daysAgo), u"why"_s };
        QCOMPARE(int(DrillSchedule::status(last, now())), status);
        QCOMPARE(DrillSchedule::summary(last, now()), summary);
        const QString warning = DrillSchedule::warning(last, now(), u"runbooks/rb.yaml"_s);
        QCOMPARE(warning.isEmpty(), status == int(DrillSchedule::Status::Fresh));
        if (!warning.isEmpty())
            QVERIFY2(warning.contains(u"antibodyctl drill runbooks/rb.yaml"_s), qPrintable(warning));
    }

    void judgesDrills_data()
    {
        QTest::addColumn<int>("state"); // -1: no incident
        QTest::addColumn<qint64>("mttrSeconds");
        QTest::addColumn<QString>("expect");
        QTest::addColumn<qint64>("maxMttrSeconds"); // 0: none
        QTest::addColumn<QStringList>("executed");
        QTest::addColumn<bool>("passed");
        QTest::addColumn<QString>("detail");
        const int resolved = int(IncidentState::Resolved);
        const int escalated = int(IncidentState::Escalated);
        QTest::addRow("resolved in time") << resolved << qint64(38) << u"resolved"_s << qint64(45) << QStringList {}
                                          << true << u"resolved in 38s (max 45s)"_s;
        QTest::addRow("quick, to a tenth") << resolved << qint64(4) << u"resolved"_s << qint64(45) << QStringList {}
                                           << true << u"resolved in 4.0s (max 45s)"_s;
        QTest::addRow("resolved, no bound")
            << resolved << qint64(300) << u"resolved"_s << qint64(0) << QStringList {} << true << u"resolved in 5m"_s;
        QTest::addRow("too slow") << resolved << qint64(72) << u"resolved"_s << qint64(45) << QStringList {} << false
                                  << u"resolved in 1m12s, slower than its max_mttr of 45s"_s;
        QTest::addRow("escalated as promised") << escalated << qint64(0) << u"escalated"_s << qint64(0)
                                               << QStringList {} << true << u"escalated as promised"_s;
        QTest::addRow("escalated, promised resolved")
            << escalated << qint64(0) << u"resolved"_s << qint64(45) << QStringList {} << false
            << u"escalated, but the runbook promises resolved: the last word"_s;
        QTest::addRow("resolved, promised escalated")
            << resolved << qint64(10) << u"escalated"_s << qint64(0) << QStringList {} << false
            << u"resolved, but the runbook promises escalated: the last word"_s;
        QTest::addRow("still executing")
            << int(IncidentState::Executing) << qint64(0) << u"resolved"_s << qint64(0) << QStringList {} << false
            << u"still executing after 10m: neither resolved nor escalated (the last word)"_s;
        QTest::addRow("never triggered") << -1 << qint64(0) << u"resolved"_s << qint64(0) << QStringList {} << false
                                         << u"the trigger never fired in 10m of sc: nothing was drilled"_s;
        QTest::addRow("ran a forbidden action")
            << escalated << qint64(0) << u"escalated"_s << qint64(0)
            << QStringList { u"collect_diagnostics"_s, u"restart_pods"_s, u"restart_pods"_s } << false
            << u"ran restart_pods, which sc must never run"_s;
    }
    void judgesDrills()
    {
        QFETCH(int, state);
        QFETCH(qint64, mttrSeconds);
        QFETCH(QString, expect);
        QFETCH(qint64, maxMttrSeconds);
        QFETCH(QStringList, executed);
        QFETCH(bool, passed);
        QFETCH(QString, detail);
        DrillExpectation e;
        e.outcome = expect;
        if (maxMttrSeconds > 0)
            e.maxMttr = std::chrono::seconds(maxMttrSeconds);
        e.neverExecutes = { u"restart_pods"_s, u"terminate_host"_s };
        DrillObservation seen;
        if (state >= 0)
            seen.incident = incident(IncidentState(state), std::chrono::seconds(mttrSeconds));
        seen.executed = executed;
        seen.ran = 10min;
        QStringList failures;
        const DrillResult r = DrillVerdict::judge(u"rb"_s, u"sc"_s, e, seen, now(), &failures);
        QCOMPARE(r.passed, passed);
        QCOMPARE(r.detail, detail);
        QCOMPARE(failures.isEmpty(), passed);
        QCOMPARE(r.runbook, u"rb"_s);
        QCOMPARE(r.at, now());
        if (state == int(IncidentState::Resolved))
            QCOMPARE(r.mttr, std::optional<Duration>(std::chrono::seconds(mttrSeconds)));
        else
            QVERIFY(!r.mttr);
    }

    void destroyedEvidenceFailsADrill()
    {
        DrillObservation seen;
        seen.incident = incident(IncidentState::Escalated);
        seen.evidenceDestroyed = { u"worker-3 terminated"_s };
        DrillExpectation e;
        e.outcome = u"escalated"_s;
        QStringList failures;
        QVERIFY(!DrillVerdict::judge(u"rb"_s, u"sc"_s, e, seen, now(), &failures).passed);
        QCOMPARE(failures, QStringList { u"destroyed evidence: worker-3 terminated"_s });
        e.evidencePreserved = false;
        QVERIFY(DrillVerdict::judge(u"rb"_s, u"sc"_s, e, seen, now(), &failures).passed);
    }

    void plansForTheSeriesFurthestPastTheThreshold()
    {
        VirtualClock clock(now());
        TestMetrics metrics(clock);
        metrics.set(u"db_pool_utilization"_s, u"orders-db"_s, 0.95);
        metrics.set(u"db_pool_utilization"_s, u"users-db"_s, 0.92);
        const Runbook rb = RunbookBuilder(u"pool"_s)
                               .alert(u"db_pool_utilization > 90%"_s)
                               .step(u"d"_s, u"query_metrics"_s, { { u"metric"_s, u"x"_s } })
                               .build();
        const TriggerSubject s = subjectOf(rb, clock, &metrics, {});
        QVERIFY(s.holdsNow);
        QCOMPARE(s.labels.value(u"service"_s), u"orders-db"_s);
        QCOMPARE(s.labels.value(u"alertname"_s), u"db_pool_utilization"_s);
        QCOMPARE(s.labels.value(u"runbook"_s), u"pool"_s);
        QCOMPARE(s.explanation, u"db_pool_utilization is 95% on orders-db (> 90%): the trigger holds now"_s);
    }

    void saysWhenTheTriggerDoesNotHold()
    {
        VirtualClock clock(now());
        TestMetrics metrics(clock);
        metrics.set(u"queue_depth"_s, u"search-svc"_s, 12);
        metrics.set(u"latency_p99_seconds"_s, u"search-svc"_s, 0.4);
        const Runbook rb = RunbookBuilder(u"scale"_s)
                               .any({ u"queue_depth{service=\"search-svc\"} > 50"_s,
                                   u"latency_p99_seconds{service=\"search-svc\"} > 1s"_s })
                               .step(u"d"_s, u"query_metrics"_s, { { u"metric"_s, u"x"_s } })
                               .build();
        const TriggerSubject s = subjectOf(rb, clock, &metrics, {});
        QVERIFY(!s.holdsNow);
        QCOMPARE(s.labels.value(u"service"_s), u"search-svc"_s);
        // 0.4 s is 60% short of 1 s; 12 is 76% short of 50: latency is closest.
        QCOMPARE(s.explanation,
            u"the trigger does not hold now (closest: latency_p99_seconds is 0.4s on search-svc (> 1s)); planned as if it fired"_s);
    }

    void allOfATriggerMustHoldForOneService()
    {
        VirtualClock clock(now());
        TestMetrics metrics(clock);
        // search-svc is quiet on every count; catalog-svc is cold but has a queue.
        metrics.set(u"cpu_utilization"_s, u"search-svc"_s, 0.12);
        metrics.set(u"queue_depth"_s, u"search-svc"_s, 0);
        metrics.set(u"cpu_utilization"_s, u"catalog-svc"_s, 0.05);
        metrics.set(u"queue_depth"_s, u"catalog-svc"_s, 40);
        const Runbook rb = RunbookBuilder(u"scale-in"_s)
                               .all({ u"cpu_utilization < 30%"_s, u"queue_depth < 5"_s })
                               .step(u"d"_s, u"query_metrics"_s, { { u"metric"_s, u"x"_s } })
                               .build();
        TriggerSubject s = subjectOf(rb, clock, &metrics, {});
        QVERIFY(s.holdsNow);
        QCOMPARE(s.labels.value(u"service"_s), u"search-svc"_s);
        QCOMPARE(s.explanation,
            u"on search-svc: cpu_utilization is 12% (< 30%), queue_depth is 0 (< 5): the trigger (all of them) holds now"_s);
        metrics.set(u"queue_depth"_s, u"search-svc"_s, 9);
        s = subjectOf(rb, clock, &metrics, {});
        QVERIFY(!s.holdsNow);
        QVERIFY2(s.explanation.startsWith(u"the trigger does not hold now (it needs all of them"_s),
            qPrintable(s.explanation));
    }

    void prefersAFiringAlert()
    {
        VirtualClock clock(now());
        TestMetrics metrics(clock);
        const Runbook rb = RunbookBuilder(u"crash"_s)
                               .alert(u"PodCrashLooping{service=\"checkout-svc\"}"_s)
                               .step(u"d"_s, u"collect_diagnostics"_s)
                               .build();
        const Labels other { { u"alertname"_s, u"PodCrashLooping"_s }, { u"service"_s, u"search-svc"_s } };
        const Labels firing { { u"alertname"_s, u"PodCrashLooping"_s }, { u"service"_s, u"checkout-svc"_s },
            { u"pod"_s, u"checkout-svc-3"_s } };
        TriggerSubject s = subjectOf(rb, clock, &metrics, { other, firing });
        QVERIFY(s.holdsNow);
        QCOMPARE(s.labels, firing);
        QCOMPARE(s.explanation, u"PodCrashLooping is firing now for checkout-svc"_s);

        s = subjectOf(rb, clock, &metrics, { other });
        QVERIFY(!s.holdsNow);
        QCOMPARE(s.labels, (Labels { { u"alertname"_s, u"PodCrashLooping"_s }, { u"service"_s, u"checkout-svc"_s } }));
        QCOMPARE(metrics.queries(), 0);
    }

    // A rehearsal plans for what the engine would handle: a runbook with `services:` is
    // rehearsed on a service it lists, never on a firing alert or a series of another.
    void rehearsesOnlyTheServicesItLists()
    {
        VirtualClock clock(now());
        TestMetrics metrics(clock);
        const Runbook crash = RunbookBuilder(u"crash"_s)
                                  .alert(u"PodCrashLooping"_s)
                                  .services({ u"checkout-svc"_s, u"catalog-svc"_s })
                                  .step(u"d"_s, u"collect_diagnostics"_s)
                                  .build();
        const Labels other { { u"alertname"_s, u"PodCrashLooping"_s }, { u"service"_s, u"search-svc"_s } };
        TriggerSubject s = subjectOf(crash, clock, &metrics, { other });
        QVERIFY(!s.holdsNow);
        QCOMPARE(s.labels, (Labels { { u"alertname"_s, u"PodCrashLooping"_s }, { u"service"_s, u"checkout-svc"_s } }));

        metrics.set(u"db_pool_utilization"_s, u"orders-db"_s, 0.95);
        metrics.set(u"db_pool_utilization"_s, u"users-db"_s, 0.92);
        const Runbook pool = RunbookBuilder(u"pool"_s)
                                 .alert(u"db_pool_utilization > 90%"_s)
                                 .services({ u"users-db"_s })
                                 .step(u"d"_s, u"query_metrics"_s, { { u"metric"_s, u"x"_s } })
                                 .build();
        s = subjectOf(pool, clock, &metrics, {});
        QVERIFY(s.holdsNow);
        QCOMPARE(s.labels.value(u"service"_s), u"users-db"_s);
    }

    void survivesAFailingMetricSource()
    {
        VirtualClock clock(now());
        TestMetrics metrics(clock);
        metrics.fail(u"connection refused"_s);
        const Runbook rb = RunbookBuilder(u"pool"_s)
                               .alert(u"db_pool_utilization{service=\"orders-db\"} > 90%"_s)
                               .step(u"d"_s, u"query_metrics"_s, { { u"metric"_s, u"x"_s } })
                               .build();
        const TriggerSubject s = subjectOf(rb, clock, &metrics, {});
        QVERIFY(!s.holdsNow);
        QCOMPARE(s.labels.value(u"service"_s), u"orders-db"_s);
        QVERIFY2(s.explanation.contains(u"connection refused"_s), qPrintable(s.explanation));
    }
};

QTEST_GUILESS_MAIN(TestRehearsal)
#include "tst_rehearsal.moc"
