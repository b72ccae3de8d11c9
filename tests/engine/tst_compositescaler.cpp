#include "engine/pipeline/compositescaler.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using antibody::CompositeScaler;
using antibody::Duration;
using antibody::TimePoint;

namespace {

// Replays a trace (one reading per minute) and returns the replica count after each minute.
QList<int> replay(const QList<CompositeScaler::Reading> &trace, int start, CompositeScaler::Thresholds t = {})
{
    CompositeScaler scaler(t);
    QList<int> replicas;
    int n = start;
    for (const auto &r : trace) {
        n += scaler.observe(r, n).delta;
        replicas << n;
    }
    return replicas;
}

QList<CompositeScaler::Reading> trace(const QList<std::tuple<double, double, double>> &values)
{
    QList<CompositeScaler::Reading> out;
    TimePoint t = antibody::fromMillis(1'780'000'000'000);
    for (const auto &[cpu, queue, p99] : values) {
        out << CompositeScaler::Reading { t, cpu, queue, p99 };
        t += 1min;
    }
    return out;
}

} // namespace

class TestCompositeScaler : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void anyHighMetricScalesOutByOneThenCoolsDown()
    {
        // queue depth alone is high (CPU fine): composite scaling still reacts
        const auto t = trace({ { 0.5, 150, 0.2 }, { 0.5, 150, 0.2 }, { 0.5, 150, 0.2 }, { 0.5, 150, 0.2 },
            { 0.5, 150, 0.2 }, { 0.5, 150, 0.2 }, { 0.5, 150, 0.2 } });
        QCOMPARE(replay(t, 4), (QList<int> { 5, 5, 5, 5, 5, 6, 6 }));
    }

    void scaleInNeedsAllLowForTenMinutes()
    {
        QList<std::tuple<double, double, double>> v;
        for (int i = 0; i < 9; ++i)
            v << std::tuple { 0.1, 1.0, 0.1 };
        v << std::tuple { 0.1, 20.0, 0.1 }; // queue not low at minute 10: the clock starts over
        for (int i = 0; i < 12; ++i)
            v << std::tuple { 0.1, 1.0, 0.1 };
        const auto r = replay(trace(v), 6);
        QCOMPARE(r.mid(0, 10), QList<int>(10, 6));
        QCOMPARE(r.at(19), 6); // 9 minutes low since the blip
        QCOMPARE(r.at(20), 5); // 10 minutes: one step down
        QCOMPARE(r.at(21), 5); // and another full window before the next
    }

    void noThrashingOnANoisyTrace()
    {
        // CPU oscillates around the high mark every minute: one scale-out per cooldown at most, never a scale-in
        QList<std::tuple<double, double, double>> v;
        for (int i = 0; i < 30; ++i)
            v << std::tuple { i % 2 ? 0.9 : 0.6, 5.0, 0.2 };
        const auto r = replay(trace(v), 3);
        int changes = 0;
        for (int i = 1; i < r.size(); ++i) {
            QVERIFY2(r.at(i) >= r.at(i - 1), "scaled in during a noisy spike");
            changes += r.at(i) != r.at(i - 1);
        }
        QVERIFY2(changes <= 6, qPrintable(QString::number(changes)));
    }

    void minAndMaxAlwaysHold()
    {
        CompositeScaler::Thresholds th;
        th.minReplicas = 3;
        th.maxReplicas = 5;
        QList<std::tuple<double, double, double>> high(40, std::tuple { 0.99, 500.0, 5.0 });
        for (int n : replay(trace(high), 3, th))
            QVERIFY(n <= 5);
        QList<std::tuple<double, double, double>> low(60, std::tuple { 0.01, 0.0, 0.01 });
        const auto r = replay(trace(low), 5, th);
        for (int n : r)
            QVERIFY(n >= 3);
        QCOMPARE(r.last(), 3);
        QCOMPARE(replay(trace({ { 0.5, 50, 0.5 } }), 1, th).front(), 2); // below the minimum: back up
    }
};

QTEST_GUILESS_MAIN(TestCompositeScaler)
#include "tst_compositescaler.moc"
