#include "engine/core/severity.h"
#include "models/jsontreemodel.h"
#include "models/link/coalescingtimer.h"
#include "models/present/humantime.h"

#include <QAbstractItemModelTester>
#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

// The diagnostics tree and the small pieces the models share: time words,
// severity ranks, the coalescing timer.
class TestJsonTreeModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void showsNestedDiagnostics()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setDocument(QJsonObject {
            { u"findings"_s, QJsonObject { { u"cause"_s, u"leak"_s }, { u"idle_ratio"_s, 0.62 } } },
            { u"targets"_s, QJsonArray { QJsonObject { { u"name"_s, u"pid 4711"_s }, { u"state"_s, u"idle"_s } } } },
            { u"healthy"_s, false },
            { u"note"_s, QJsonValue::Null },
        });
        QCOMPARE(model.rowCount(), 4);
        const QModelIndex findings = model.index(0, 0);
        QCOMPARE(findings.data().toString(), u"findings"_s);
        QCOMPARE(model.index(0, 1).data().toString(), u"2 items"_s);
        QCOMPARE(model.rowCount(findings), 2);
        QCOMPARE(model.index(1, 1, findings).data().toString(), u"0.62"_s);
        QCOMPARE(model.index(1, 0, findings).data(JsonTreeModel::PathRole).toString(), u"findings.idle_ratio"_s);
        const QModelIndex first = model.index(0, 0, model.index(3, 0)); // keys sort: findings, healthy, note, targets
        QCOMPARE(model.index(0, 1, first).data().toString(), u"pid 4711"_s);
        QCOMPARE(model.index(0, 0, first).data(JsonTreeModel::PathRole).toString(), u"targets.0.name"_s);
        QCOMPARE(model.index(1, 1).data().toString(), u"false"_s);
        QCOMPARE(model.index(2, 1).data().toString(), u"null"_s);
        QCOMPARE(model.parent(first), model.index(3, 0));
    }

    void replacingTheDocumentResets()
    {
        JsonTreeModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy reset(&model, &QAbstractItemModel::modelReset);
        model.setDocument(QJsonObject { { u"a"_s, 1 } });
        model.setDocument({});
        QCOMPARE(reset.size(), 2);
        QCOMPARE(model.rowCount(), 0);
    }

    void agesReadAtAGlance_data()
    {
        QTest::addColumn<qint64>("ms");
        QTest::addColumn<QString>("text");
        QTest::addRow("zero") << qint64(0) << u"0s"_s;
        QTest::addRow("negative clamps") << qint64(-5000) << u"0s"_s;
        QTest::addRow("seconds") << qint64(45'900) << u"45s"_s;
        QTest::addRow("minutes") << qint64(192'000) << u"3m 12s"_s;
        QTest::addRow("hours") << qint64(2 * 3'600'000 + 5 * 60'000) << u"2h 05m"_s;
        QTest::addRow("days") << qint64(3 * 86'400'000LL + 4 * 3'600'000) << u"3d 4h"_s;
    }

    void agesReadAtAGlance()
    {
        QFETCH(qint64, ms);
        QFETCH(QString, text);
        QCOMPARE(formatAge(Duration { ms }), text);
    }

    void severitiesRankByUrgency_data()
    {
        QTest::addColumn<QString>("severity");
        QTest::addColumn<int>("rank");
        QTest::addRow("critical") << u"critical"_s << int(SeverityRank::Critical);
        QTest::addRow("page") << u"page"_s << int(SeverityRank::Critical);
        QTest::addRow("upper case, spaces") << u" HIGH "_s << int(SeverityRank::High);
        QTest::addRow("warning") << u"warning"_s << int(SeverityRank::Warning);
        QTest::addRow("info") << u"info"_s << int(SeverityRank::Info);
        QTest::addRow("empty") << QString() << int(SeverityRank::Unknown);
        QTest::addRow("made up") << u"apocalyptic"_s << int(SeverityRank::Unknown);
    }

    void severitiesRankByUrgency()
    {
        QFETCH(QString, severity);
        QFETCH(int, rank);
        QCOMPARE(int(severityRank(severity)), rank);
    }

    void coalescingTimerFlushesOncePerBurst()
    {
        int flushes = 0;
        CoalescingTimer timer([&flushes] { ++flushes; }, nullptr, std::chrono::milliseconds { 20 });
        for (int i = 0; i < 100; ++i)
            timer.poke();
        QVERIFY(timer.isArmed());
        QTRY_COMPARE(flushes, 1);
        QVERIFY(!timer.isArmed());
        timer.poke();
        timer.flushNow();
        QCOMPARE(flushes, 2);
        timer.flushNow(); // nothing waiting: nothing runs
        QCOMPARE(flushes, 2);
    }
};

QTEST_GUILESS_MAIN(TestJsonTreeModel)
#include "tst_jsontreemodel.moc"
