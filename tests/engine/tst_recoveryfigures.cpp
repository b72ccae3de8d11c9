// Recovery times: the arithmetic of the figures, and the facts the store keeps for them.
#include "engine/store/recoveryfigures.h"
#include "engine/store/sqlitestore.h"
#include "storefixtures.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using fixtures::at;
using fixtures::t0;

namespace {

Duration s(int seconds)
{
    return Duration { seconds * 1000 };
}

IncidentTimes times(const QString &runbook, int level, std::optional<int> started, int detected,
    std::optional<int> proposed, std::optional<int> approved, std::optional<int> resolved)
{
    IncidentTimes t;
    t.incidentId = runbook + QString::number(detected);
    t.runbook = runbook;
    t.level = level;
    t.state = resolved ? IncidentState::Resolved : IncidentState::Escalated;
    if (started)
        t.startedAt = at(*started);
    t.detectedAt = at(detected);
    if (proposed)
        t.proposedAt = at(*proposed);
    if (approved)
        t.approvedAt = at(*approved);
    if (resolved)
        t.resolvedAt = at(*resolved);
    return t;
}

} // namespace

class TestRecoveryFigures : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void summaries_data()
    {
        QTest::addColumn<QList<int>>("seconds");
        QTest::addColumn<int>("mean");
        QTest::addColumn<int>("median");
        QTest::addColumn<int>("p90");
        QTest::addColumn<int>("worst");
        QTest::addRow("one") << QList<int> { 42 } << 42 << 42 << 42 << 42;
        QTest::addRow("two") << QList<int> { 10, 30 } << 20 << 10 << 30 << 30;
        QTest::addRow("ten, unsorted") << QList<int> { 100, 10, 90, 20, 80, 30, 70, 40, 60, 50 } << 55 << 50 << 90
                                       << 100;
        QTest::addRow("one outlier") << QList<int> { 5, 5, 5, 5, 5, 5, 5, 5, 5, 5, 600 } << 59 << 5 << 5 << 600;
    }

    void summaries()
    {
        QFETCH(QList<int>, seconds);
        QFETCH(int, mean);
        QFETCH(int, median);
        QFETCH(int, p90);
        QFETCH(int, worst);
        QList<Duration> durations;
        for (int v : seconds)
            durations << s(v);
        const auto summary = RecoveryFigures::Summary::of(durations);
        QCOMPARE(summary.count, seconds.size());
        QCOMPARE(std::chrono::duration_cast<std::chrono::seconds>(summary.mean).count(), mean);
        QCOMPARE(summary.median, s(median));
        QCOMPARE(summary.p90, s(p90));
        QCOMPARE(summary.worst, s(worst));
    }

    void anEmptyStageHasNoFigures()
    {
        const auto summary = RecoveryFigures::Summary::of({});
        QCOMPARE(summary.count, 0);
        QCOMPARE(summary.toJson(), (QJsonObject { { u"count"_s, 0 } }));
    }

    void stagesOfOneIncident_data()
    {
        QTest::addColumn<IncidentTimes>("t");
        QTest::addColumn<std::optional<Duration>>("detect");
        QTest::addColumn<std::optional<Duration>>("propose");
        QTest::addColumn<std::optional<Duration>>("approve");
        QTest::addColumn<std::optional<Duration>>("resolve");
        const std::optional<Duration> none;
        QTest::addRow("approved and resolved") << times(u"pool"_s, 2, 0, 15, 20, 320, 380) << std::optional(s(15))
                                               << std::optional(s(5)) << std::optional(s(300)) << std::optional(s(380));
        QTest::addRow("automatic") << times(u"pool"_s, 3, 0, 15, 16, std::nullopt, 60) << std::optional(s(15))
                                   << std::optional(s(1)) << none << std::optional(s(60));
        QTest::addRow("no alert stored: resolve counts from detection") << times(u"pool"_s, 3, std::nullopt, 15, 16,
            std::nullopt, 60) << none << std::optional(s(1)) << none << std::optional(s(45));
        QTest::addRow("escalated") << times(u"pool"_s, 2, 0, 15, 20, std::nullopt, std::nullopt) << std::optional(s(15))
                                   << std::optional(s(5)) << none << none;
        QTest::addRow("alert only") << times({}, 0, 0, 15, std::nullopt, std::nullopt, std::nullopt)
                                    << std::optional(s(15)) << none << none << none;
    }

    void stagesOfOneIncident()
    {
        QFETCH(IncidentTimes, t);
        QFETCH(std::optional<Duration>, detect);
        QFETCH(std::optional<Duration>, propose);
        QFETCH(std::optional<Duration>, approve);
        QFETCH(std::optional<Duration>, resolve);
        QCOMPARE(t.timeToDetect(), detect);
        QCOMPARE(t.timeToPropose(), propose);
        QCOMPARE(t.timeToApprove(), approve);
        QCOMPARE(t.timeToResolve(), resolve);
    }

    void groupsByRunbookAndLevel()
    {
        const QList<IncidentTimes> all { times(u"pool"_s, 3, 0, 10, 11, std::nullopt, 40),
            times(u"pool"_s, 3, 100, 110, 111, std::nullopt, 200), times(u"failover"_s, 2, 0, 20, 25, 500, 560),
            times({}, 0, 0, 30, std::nullopt, std::nullopt, std::nullopt) };
        const auto byRunbook = RecoveryFigures::byRunbook(all);
        QCOMPARE(byRunbook.size(), 3);
        QCOMPARE(byRunbook[0].group, u"(no runbook)"_s);
        QCOMPARE(byRunbook[1].group, u"failover"_s);
        QCOMPARE(byRunbook[2].group, u"pool"_s);
        QCOMPARE(byRunbook[2].incidents, 2);
        QCOMPARE(byRunbook[2].resolve.mean, s(70)); // (40 + 100) / 2
        QCOMPARE(byRunbook[1].approve.median, s(475));
        const auto byLevel = RecoveryFigures::byLevel(all);
        QCOMPARE(byLevel.size(), 3);
        QCOMPARE(byLevel[0].group, u"level 0"_s);
        QCOMPARE(byLevel[2].group, u"level 3"_s);
        const auto overall = RecoveryFigures::of(u"all"_s, all);
        QCOMPARE(overall.incidents, 4);
        QCOMPARE(overall.resolved, 3);
        QCOMPARE(overall.escalated, 1);
        QCOMPARE(overall.resolve.count, 3);
        QCOMPARE(overall.toJson().value(u"time_to_resolve"_s).toObject().value(u"worst_seconds"_s).toDouble(), 560.0);
    }

    // The store keeps what the figures need: alert start, detection, proposal, the approval that counted, resolution.
    void theStoreKeepsTheFacts()
    {
        QTemporaryDir dir;
        QString error;
        auto store = SqliteStore::open(dir.filePath(u"a.db"_s), &error);
        QVERIFY2(store, qPrintable(error));
        Incident i = fixtures::incident(u"INC-1"_s, at(15), u"connection-pool-exhaustion"_s, 2);
        store->saveIncident(i);
        store->saveAlert(i.id, fixtures::alert(i.id, at(0), at(15)));
        Proposal p = fixtures::proposal(u"P1"_s, i.id, at(20));
        store->saveProposal(p);
        store->recordApproval(fixtures::approval(p, u"alice"_s, at(200)));
        // Re-planned: the approval that counts is for the plan that ran.
        p.plan = fixtures::plan(i.id, { u"pid 4720"_s });
        store->saveProposal(p);
        store->recordApproval(fixtures::approval(p, u"bob"_s, at(320)));
        store->claimExecution(p.id, p.plan.fingerprint, u"bob@desk (pid 2)"_s, u"bob"_s, at(320));
        i.state = IncidentState::Resolved;
        i.resolvedAt = at(380);
        store->saveIncident(i);
        Incident open = fixtures::incident(u"INC-2"_s, at(1000), {}, 0);
        store->saveIncident(open);

        const auto facts = store->incidentTimes();
        QCOMPARE(facts.size(), 2);
        const IncidentTimes &t = facts[0];
        QCOMPARE(t.incidentId, u"INC-1"_s);
        QCOMPARE(t.level, 2);
        QCOMPARE(t.state, IncidentState::Resolved);
        QCOMPARE(t.timeToDetect(), s(15));
        QCOMPARE(t.timeToPropose(), s(5));
        QCOMPARE(t.timeToApprove(), s(300));
        QCOMPARE(t.timeToResolve(), s(380));
        QCOMPARE(facts[1].runbook, QString());
        QVERIFY(!facts[1].proposedAt);
        QVERIFY(!facts[1].startedAt);
    }
};

QTEST_GUILESS_MAIN(TestRecoveryFigures)
#include "tst_recoveryfigures.moc"
