#include "engine/core/virtualclock.h"

#include <QTest>

using namespace std::chrono_literals;
using antibody::Duration;
using antibody::VirtualClock;

class TestVirtualClock : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void runsInTimeOrderThenInScheduleOrder()
    {
        VirtualClock clock;
        const auto start = clock.now();
        QList<int> order;
        clock.callAfter(10s, [&] { order << 3; });
        clock.callAfter(5s, [&] { order << 1; });
        clock.callAfter(5s, [&] { order << 2; });
        QVERIFY(order.isEmpty()); // never inside the scheduling call
        while (clock.runNext()) { }
        QCOMPARE(order, (QList<int> { 1, 2, 3 }));
        QCOMPARE(clock.now() - start, Duration(10s));
    }

    void advanceToRunsDueTimersAndTheOnesTheySchedule()
    {
        VirtualClock clock;
        const auto start = clock.now();
        int fired = 0;
        clock.callAfter(1min, [&] {
            ++fired;
            clock.callAfter(1min, [&] { ++fired; }); // due at 2 min
            clock.callAfter(10min, [&] { ++fired; }); // beyond the horizon
        });
        clock.advanceTo(start + 5min);
        QCOMPARE(fired, 2);
        QCOMPARE(clock.now(), start + 5min);
        QCOMPARE(clock.pending(), std::size_t(1));
        QCOMPARE(*clock.nextDue(), start + 11min);
    }

    void cancelledTimersNeverRun()
    {
        VirtualClock clock;
        bool ran = false;
        const auto id = clock.callAfter(1s, [&] { ran = true; });
        clock.cancel(id);
        clock.cancel(id); // twice is harmless
        clock.cancel(99'999); // unknown too
        clock.advanceBy(1h);
        QVERIFY(!ran);
        QCOMPARE(clock.pending(), std::size_t(0));
    }

    void timeNeverGoesBack()
    {
        VirtualClock clock;
        clock.advanceBy(1h);
        const auto now = clock.now();
        bool ran = false;
        clock.callAt(now - 30min, [&] { ran = true; });
        QVERIFY(clock.runNext());
        QVERIFY(ran);
        QCOMPARE(clock.now(), now);
    }

    void hoursOfTimersRunInstantly()
    {
        VirtualClock clock;
        const auto start = clock.now();
        int ticks = 0;
        std::function<void()> tick = [&] {
            ++ticks;
            if (ticks < 8640)
                clock.callAfter(10s, tick);
        };
        clock.callAfter(10s, tick);
        clock.runUntilIdle(start + 48h);
        QCOMPARE(ticks, 8640);
        QCOMPARE(clock.now(), start + 24h);
    }
};

QTEST_GUILESS_MAIN(TestVirtualClock)
#include "tst_virtualclock.moc"
