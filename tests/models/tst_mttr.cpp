#include "models/incidentmodel.h"
#include "models/mttrmodel.h"
#include "tests/support/samples.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

Incident resolved(const QString &id, int level, qint64 tookSeconds)
{
    Incident i = samples::incident(id, u"svc"_s, IncidentState::Resolved, level);
    i.resolvedAt = i.detectedAt + Duration { tookSeconds * 1000 };
    return i;
}

} // namespace

class TestMttr : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void medianMeanAndSlowestPerLevel()
    {
        MttrStats stats;
        stats.record(resolved(u"A"_s, 3, 30));
        stats.record(resolved(u"B"_s, 3, 90));
        stats.record(resolved(u"C"_s, 3, 600));
        stats.record(resolved(u"D"_s, 2, 400));
        stats.record(samples::incident(u"E"_s, u"svc"_s, IncidentState::Escalated, 3));
        const auto three = stats.level(3);
        QCOMPARE(three.resolved, 3);
        QCOMPARE(three.unresolved, 1);
        QCOMPARE(three.escalated, 1);
        QCOMPARE(three.median->count(), 90'000);
        QCOMPARE(three.mean->count(), 240'000);
        QCOMPARE(three.slowest->count(), 600'000);
        QVERIFY(!stats.level(0).median);
        QCOMPARE(stats.overallMedian()->count(), (90'000 + 400'000) / 2); // even count: mean of the middle two
    }

    void aFoldedIncidentDoesNotCount()
    {
        MttrStats stats;
        stats.record(resolved(u"A"_s, 0, 30));
        Incident folded = resolved(u"B"_s, 0, 5);
        folded.diagnostics.insert(u"grouped_into"_s, u"C"_s); // a symptom of C's problem, not a heal
        stats.record(folded);
        QCOMPARE(stats.level(0).resolved, 1);
        QCOMPARE(stats.level(0).median->count(), 30'000);
    }

    void reRecordingMovesAnIncident()
    {
        MttrStats stats;
        QVERIFY(!stats.record(samples::incident(u"A"_s, u"svc"_s, IncidentState::Executing, 3)));
        QCOMPARE(stats.level(3).unresolved, 1);
        QCOMPARE(stats.record(resolved(u"A"_s, 3, 45)), std::optional<int>(3));
        QCOMPARE(stats.level(3).unresolved, 0);
        QCOMPARE(stats.level(3).resolved, 1);
    }

    void baselinesAreTheSeeds_data()
    {
        QTest::addColumn<int>("level");
        QTest::addColumn<int>("typicalMinutes");
        QTest::addColumn<int>("targetMinutes");
        QTest::addRow("level 0, alert and pray") << 0 << 35 << 45;
        QTest::addRow("level 1, runbooks") << 1 << 22 << 30;
        QTest::addRow("level 2, semi-automated") << 2 << 8 << 10;
        QTest::addRow("level 3, automated") << 3 << 3 << 4;
        QTest::addRow("level 4, adaptive") << 4 << 2 << 2;
        QTest::addRow("out of range clamps") << 9 << 2 << 2;
    }

    void baselinesAreTheSeeds()
    {
        QFETCH(int, level);
        QFETCH(int, typicalMinutes);
        QFETCH(int, targetMinutes);
        QCOMPARE(MttrStats::baseline(level).typical.count(), typicalMinutes * 60'000);
        QCOMPARE(MttrStats::baseline(level).target.count(), targetMinutes * 60'000);
        QCOMPARE(MttrStats::manualBaseline().count(), 28 * 60'000);
    }

    void dashboardFollowsTheIncidentList()
    {
        IncidentModel incidents;
        incidents.upsert(resolved(u"A"_s, 3, 45));
        incidents.flush();
        MttrModel model(&incidents);
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(model.rowCount(), 5);
        QCOMPARE(model.index(3, MttrModel::MedianColumn).data().toString(), u"45s"_s);
        QCOMPARE(model.index(3, MttrModel::VerdictColumn).data().toString(), u"on par with the baseline"_s);
        QCOMPARE(model.index(3, MttrModel::BaselineColumn).data().toString(), u"under 4 min (≈3)"_s);
        QCOMPARE(model.summary(), u"Median MTTR 45s over 1 resolved incident · a manual fix takes about 28 min"_s);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy summary(&model, &MttrModel::summaryChanged);
        incidents.upsert(resolved(u"B"_s, 2, 15 * 60));
        incidents.upsert(samples::incident(u"C"_s, u"svc"_s, IncidentState::Escalated, 2));
        incidents.flush();
        QCOMPARE(changed.size(), 1); // one level changed: one row
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().row(), 2);
        QCOMPARE(summary.size(), 1);
        QCOMPARE(model.index(2, MttrModel::VerdictColumn).data().toString(), u"5m 00s slower than the baseline"_s);
        QCOMPARE(model.index(2, MttrModel::OpenColumn).data().toString(), u"1 (1 escalated)"_s);
        QCOMPARE(model.index(0, MttrModel::MedianColumn).data().toString(), u"—"_s);
        QCOMPARE(model.summary(), u"Median MTTR 7m 52s over 2 resolved incidents · a manual fix takes about 28 min"_s);
    }
};

QTEST_GUILESS_MAIN(TestMttr)
#include "tst_mttr.moc"
