#include "models/eventlogmodel.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using antibody::EngineEvent;
using antibody::EventLogModel;
using antibody::fromMillis;

class TestEventLogModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void appendsAndShows()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.append({ EngineEvent::make(
                           EngineEvent::Kind::Detected, fromMillis(1'780'000'000'000), u"INC-1"_s, u"pool at 95%"_s),
            EngineEvent::make(EngineEvent::Kind::Resolved, fromMillis(1'780'000'045'000), u"INC-1"_s, u"healed"_s) });
        QCOMPARE(inserted.size(), 1); // one batch, one insertion
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.index(0, EventLogModel::KindColumn).data().toString(), u"detected"_s);
        QCOMPARE(model.index(1, EventLogModel::DetailColumn).data().toString(), u"healed"_s);
        QCOMPARE(
            model.index(1, EventLogModel::IncidentColumn).data(EventLogModel::IncidentIdRole).toString(), u"INC-1"_s);
        QCOMPARE(model.index(0, EventLogModel::TimeColumn).data().toString().size(), 8);
    }

    void dropsOldestBeyondLimit()
    {
        EventLogModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        model.setLimit(3);
        for (int i = 0; i < 5; ++i)
            model.append({ EngineEvent::make(EngineEvent::Kind::Notified, fromMillis(i), {}, QString::number(i)) });
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, EventLogModel::DetailColumn).data().toString(), u"2"_s);
    }
};

QTEST_MAIN(TestEventLogModel)
#include "tst_eventlogmodel.moc"
