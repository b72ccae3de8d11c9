// Adding an action is one place: an entry in the catalog (here ActionCatalog::extend) and
// an executor of its family. Nothing in the pipeline knows its name; it is loaded,
// planned within its blast radius, executed pass by pass and documented by its traits.
#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/catalogreference.h"
#include "engine/runbook/runbookloader.h"
#include "tests/engine/doubles/enginerig.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using namespace antibody::test;

class TestNewAction : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase()
    {
        ActionSpec purge;
        purge.name = u"purge_queue"_s;
        purge.family = u"extension"_s;
        purge.tier = Tier::Safe;
        purge.effect = Effect::Mutates;
        purge.dimension = u"targets"_s;
        purge.description = u"Drops the poison messages a consumer group is stuck on."_s;
        ActionCatalog::extend(purge);
    }

    void aNewActionIsLoadedPlannedCappedExecutedAndDocumented()
    {
        const LoadResult loaded = loadRunbookText(R"(name: poison-queue
description: Purge the queues a poison message blocks, one at a time.
level: 3
trigger:
  alert: QueueStuck
  confidence: high
steps:
  - name: purge
    action: purge_queue
    blast_radius: { max_targets: 1, max_cycles: 3 }
  - name: escalate
    action: page_oncall
    condition: purge.failed
)",
            u"poison-queue.yaml"_s);
        QVERIFY2(loaded.runbook, qPrintable(loaded.diagnostics.value(0).toString()));

        EngineRig rig;
        rig.extension.addAction(u"purge_queue"_s);
        rig.extension.setFleet(u"targets"_s, u"orders-svc"_s,
            { pod(u"orders-queue-1"_s), pod(u"orders-queue-2"_s), pod(u"orders-queue-3"_s) });
        rig.start({ *loaded.runbook });
        rig.alerts.fire(u"QueueStuck"_s, { { u"service"_s, u"orders-svc"_s } });
        rig.run(10min);

        const auto proposed = rig.eventsOf(EngineEvent::Kind::Proposed);
        QVERIFY2(!proposed.isEmpty(), qPrintable(rig.timeline()));
        QVERIFY2(proposed.front().detail.contains(u"purge (1 of 3 targets"_s), qPrintable(proposed.front().detail));
        QCOMPARE(rig.extension.executed.size(), 3); // three passes, one target each: the cap held
        for (const ExecutedAction &a : std::as_const(rig.extension.executed))
            QCOMPARE(a.targets.size(), 1);
        QVERIFY(catalogMarkdown().contains(u"purge_queue"_s));
        QVERIFY(catalogMarkdown().contains(u"Drops the poison messages"_s));
    }
};

QTEST_GUILESS_MAIN(TestNewAction)
#include "tst_newaction.moc"
