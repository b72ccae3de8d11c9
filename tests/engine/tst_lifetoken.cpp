// The one guard for callbacks that may outlive their owner (engine/core/lifetoken.h).
#include "engine/core/lifetoken.h"
#include "engine/core/virtualclock.h"

#include <QTest>
#include <optional>

using namespace antibody;
using namespace Qt::StringLiterals;

class TestLifeToken : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void aCallbackRunsWhileItsOwnerLives()
    {
        LifeToken token;
        int calls = 0;
        auto callback = token.guard([&calls](int n) { calls += n; });
        callback(2);
        callback(3);
        QCOMPARE(calls, 5);
    }

    // A timer on a clock the owner does not own fires after the owner is gone: nothing happens.
    void aTimerFiringAfterItsOwnerIsGoneDoesNothing()
    {
        VirtualClock clock(*parseTime(u"2026-12-05T03:00:00Z"_s));
        int calls = 0;
        {
            std::optional<LifeToken> owner;
            owner.emplace();
            clock.callAfter(Duration { 1'000 }, owner->guard([&calls] { ++calls; }));
            clock.callAfter(Duration { 500 }, [&owner] { owner.reset(); }); // the owner goes first
            clock.advanceBy(Duration { 2'000 });
        }
        QCOMPARE(calls, 0);
    }

    void eachOwnerGuardsOnlyItsOwnCallbacks()
    {
        std::optional<LifeToken> gone;
        gone.emplace();
        LifeToken stays;
        int fromGone = 0;
        int fromStays = 0;
        auto a = gone->guard([&fromGone] { ++fromGone; });
        auto b = stays.guard([&fromStays] { ++fromStays; });
        gone.reset();
        a();
        b();
        QCOMPARE(fromGone, 0);
        QCOMPARE(fromStays, 1);
    }
};

QTEST_GUILESS_MAIN(TestLifeToken)
#include "tst_lifetoken.moc"
