#include "models/breakermodel.h"
#include "models/feedhealthmodel.h"
#include "tests/support/samples.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {
constexpr auto reportToQtTest = QAbstractItemModelTester::FailureReportingMode::QtTest;

FeedHealth feed(const QString &name, FeedHealth::State state, const QString &reason = {}, qint64 lastGood = 0)
{
    FeedHealth f;
    f.feed = name;
    f.state = state;
    f.reason = reason;
    f.lastSuccess = lastGood > 0 ? samples::at(lastGood) : TimePoint {};
    return f;
}
} // namespace

// Circuit breakers and monitoring feeds: the two panels that explain why the
// engine is not acting.
class TestBreakerModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void breakerRowsInsertOnceAndUpdateInPlace()
    {
        BreakerModel model;
        QAbstractItemModelTester tester(&model, reportToQtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.upsert(samples::breaker(u"restart-crashloop"_s, BreakerState::State::Closed, 1));
        model.upsert(samples::breaker(u"pool-reset"_s, BreakerState::State::Closed, 0));
        model.upsert(samples::breaker(u"restart-crashloop"_s, BreakerState::State::Open, 3, 120));
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(inserted.size(), 2);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(0, BreakerModel::StateColumn).data().toString(), u"open"_s);
        QCOMPARE(model.openCount(), 1);
        QCOMPARE(model.rowOf(u"pool-reset"_s), 1);
        QCOMPARE(model.rowOf(u"nope"_s), -1);
    }

    void failuresReadAgainstThePolicy()
    {
        BreakerModel model;
        QAbstractItemModelTester tester(&model, reportToQtTest);
        model.upsert(samples::breaker(u"restart-crashloop"_s, BreakerState::State::Closed, 2));
        QCOMPARE(model.index(0, BreakerModel::FailuresColumn).data().toString(), u"2"_s);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setPolicies({ { u"restart-crashloop"_s, BreakerSpec {} } });
        QCOMPARE(changed.size(), 1);
        QCOMPARE(model.index(0, BreakerModel::FailuresColumn).data().toString(), u"2 of 3 in 10m"_s);
    }

    void openedSaysWhenAndHowLongAgo()
    {
        BreakerModel model;
        model.upsert(samples::breaker(u"restart-crashloop"_s, BreakerState::State::Open, 3, 60));
        model.upsert(samples::breaker(u"pool-reset"_s, BreakerState::State::Closed, 0));
        model.setNow(samples::at(60 + 200));
        QCOMPARE(model.index(0, BreakerModel::OpenedColumn).data().toString(), u"20:27:40 (3m 20s ago)"_s);
        QCOMPARE(model.index(1, BreakerModel::OpenedColumn).data().toString(), QString());
        QVERIFY(model.index(0, BreakerModel::StateColumn).data(Qt::ToolTipRole).toString().contains(u"halted"_s));
    }

    void feedSummaryNamesTheWorstFeedAndWhy_data()
    {
        QTest::addColumn<QList<FeedHealth>>("feeds");
        QTest::addColumn<QString>("summary");
        QTest::addColumn<int>("worst");
        QTest::addRow("none yet") << QList<FeedHealth> {} << u"no monitoring feed reported yet"_s
                                  << int(FeedHealth::State::Healthy);
        QTest::addRow("all healthy") << QList<FeedHealth> { feed(u"simulator alerts"_s, FeedHealth::State::Healthy),
            feed(u"simulator metrics"_s, FeedHealth::State::Healthy) }
                                     << u"2 feeds healthy"_s << int(FeedHealth::State::Healthy);
        QTest::addRow("one degraded")
            << QList<FeedHealth> { feed(u"prometheus http://127.0.0.1:19090"_s, FeedHealth::State::Degraded,
                                       u"HTTP 503"_s, 30),
                   feed(u"alertmanager"_s, FeedHealth::State::Healthy) }
            << u"prometheus http://127.0.0.1:19090: degraded — HTTP 503 (last good data 20:27:10 UTC)"_s
            << int(FeedHealth::State::Degraded);
        QTest::addRow("down beats degraded")
            << QList<FeedHealth> { feed(u"a"_s, FeedHealth::State::Degraded, u"slow"_s),
                   feed(u"b"_s, FeedHealth::State::Down, u"connection refused"_s) }
            << u"b: down — connection refused"_s << int(FeedHealth::State::Down);
    }

    void feedSummaryNamesTheWorstFeedAndWhy()
    {
        QFETCH(QList<FeedHealth>, feeds);
        QFETCH(QString, summary);
        QFETCH(int, worst);
        FeedHealthModel model;
        QAbstractItemModelTester tester(&model, reportToQtTest);
        QSignalSpy changed(&model, &FeedHealthModel::healthChanged);
        for (const FeedHealth &f : feeds)
            model.upsert(f);
        QCOMPARE(changed.size(), feeds.size());
        QCOMPARE(model.summary(), summary);
        QCOMPARE(int(model.worstState()), worst);
    }

    void feedRecoveryReplacesItsRow()
    {
        FeedHealthModel model;
        QAbstractItemModelTester tester(&model, reportToQtTest);
        model.upsert(feed(u"alertmanager"_s, FeedHealth::State::Down, u"timeout"_s));
        model.upsert(feed(u"alertmanager"_s, FeedHealth::State::Healthy));
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.summary(), u"feed healthy"_s);
    }
};

QTEST_GUILESS_MAIN(TestBreakerModel)
#include "tst_breakermodel.moc"
