#include "engine/pipeline/circuitbreaker.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using State = BreakerState::State;

class TestCircuitBreaker : public QObject
{
    Q_OBJECT
    const BreakerSpec spec { 3, 10min, 15min };
    const TimePoint t0 = fromMillis(1'780'000'000'000);

private Q_SLOTS:
    void opensOnTheThirdFailureWithinTheWindow()
    {
        CircuitBreakers b;
        QVERIFY(!b.recordFailure(u"restart"_s, spec, t0, u"1"_s).changed);
        QVERIFY(!b.recordFailure(u"restart"_s, spec, t0 + 4min, u"2"_s).changed);
        const auto third = b.recordFailure(u"restart"_s, spec, t0 + 8min, u"3"_s);
        QVERIFY(third.changed);
        QCOMPARE(third.state.state, State::Open);
        QCOMPARE(b.state(u"restart"_s, spec, t0 + 9min).state, State::Open);
        QCOMPARE(b.state(u"other"_s, spec, t0 + 9min).state, State::Closed); // per remediation type
    }

    void failuresOutsideTheWindowDoNotCount()
    {
        CircuitBreakers b;
        b.recordFailure(u"restart"_s, spec, t0, u"1"_s);
        b.recordFailure(u"restart"_s, spec, t0 + 6min, u"2"_s);
        const auto third = b.recordFailure(u"restart"_s, spec, t0 + 11min, u"3"_s); // the first is 11 min old
        QCOMPARE(third.state.state, State::Closed);
        QCOMPARE(third.state.failures.size(), 2);
    }

    void halfOpenAfterCoolOffThenClosesOnSuccess()
    {
        CircuitBreakers b;
        for (int i = 0; i < 3; ++i)
            b.recordFailure(u"restart"_s, spec, t0 + Duration { i * 60'000 }, u"x"_s);
        QCOMPARE(b.state(u"restart"_s, spec, t0 + 16min).state, State::Open);
        const auto half = b.advance(u"restart"_s, spec, t0 + 18min);
        QVERIFY(half.changed);
        QCOMPARE(half.state.state, State::HalfOpen);
        QVERIFY(!b.advance(u"restart"_s, spec, t0 + 19min).changed);
        const auto closed = b.recordSuccess(u"restart"_s, t0 + 20min);
        QVERIFY(closed.changed);
        QCOMPARE(closed.state.state, State::Closed);
        QVERIFY(closed.state.failures.isEmpty());
    }

    void failureWhileHalfOpenReopens()
    {
        CircuitBreakers b;
        for (int i = 0; i < 3; ++i)
            b.recordFailure(u"restart"_s, spec, t0, u"x"_s);
        b.advance(u"restart"_s, spec, t0 + 16min);
        const auto again = b.recordFailure(u"restart"_s, spec, t0 + 17min, u"trial failed"_s);
        QCOMPARE(again.state.state, State::Open);
        QCOMPARE(*again.state.openedAt, t0 + 17min);
        QCOMPARE(b.state(u"restart"_s, spec, t0 + 31min).state, State::Open); // the cool-off starts over
    }

    void manualResetClosesAndSaysWho()
    {
        CircuitBreakers b;
        for (int i = 0; i < 3; ++i)
            b.recordFailure(u"restart"_s, spec, t0, u"x"_s);
        const auto r = b.reset(u"restart"_s, u"alice"_s);
        QVERIFY(r.changed);
        QCOMPARE(r.state.state, State::Closed);
        QVERIFY(r.state.lastReason.contains(u"alice"_s));
    }

    void restoredStateSurvivesARestart()
    {
        CircuitBreakers before;
        for (int i = 0; i < 3; ++i)
            before.recordFailure(u"restart"_s, spec, t0, u"x"_s);
        CircuitBreakers after;
        after.restore(before.all());
        QCOMPARE(after.state(u"restart"_s, spec, t0 + 1min).state, State::Open);
    }
};

QTEST_GUILESS_MAIN(TestCircuitBreaker)
#include "tst_circuitbreaker.moc"
