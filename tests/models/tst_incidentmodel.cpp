#include "models/incidentfilter.h"
#include "models/incidentmodel.h"
#include "tests/support/samples.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

using Tester = QAbstractItemModelTester;
constexpr auto reportToQtTest = QAbstractItemModelTester::FailureReportingMode::QtTest;

QStringList column(const QAbstractItemModel &model, int column)
{
    QStringList out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << model.index(row, column).data().toString();
    return out;
}

} // namespace

class TestIncidentModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void coalescesABurstIntoOneInsertion()
    {
        IncidentModel model;
        Tester tester(&model, reportToQtTest);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        QSignalSpy updated(&model, &IncidentModel::incidentsUpdated);
        for (int i = 1; i <= 3; ++i)
            model.upsert(samples::incident(u"INC-%1"_s.arg(i), u"checkout-svc"_s));
        QCOMPARE(model.rowCount(), 0); // nothing shows before the coalescing timer fires
        QTRY_COMPARE(model.rowCount(), 3);
        QCOMPARE(inserted.size(), 1);
        QCOMPARE(updated.size(), 1);
        QCOMPARE(updated.at(0).at(0).toStringList(), (QStringList { u"INC-1"_s, u"INC-2"_s, u"INC-3"_s }));
    }

    void theLatestVersionInABurstWins()
    {
        IncidentModel model;
        Tester tester(&model, reportToQtTest);
        model.upsert(samples::incident(u"INC-1"_s, u"orders-db"_s, IncidentState::Open));
        model.upsert(samples::incident(u"INC-1"_s, u"orders-db"_s, IncidentState::Executing));
        model.flush();
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(model.index(0, IncidentModel::StateColumn).data().toString(), u"executing"_s);
    }

    void changesAreSignalledPerRowOrAsOneRange_data()
    {
        QTest::addColumn<int>("changed");
        QTest::addColumn<int>("expectedSignals");
        QTest::addColumn<int>("expectedFirstRow");
        QTest::addColumn<int>("expectedLastRow");
        QTest::addRow("2 of 10 rows: one signal per row") << 2 << 2 << 0 << 0;
        QTest::addRow("5 of 10 rows: still per row") << 5 << 5 << 0 << 0;
        QTest::addRow("6 of 10 rows: one full-range signal") << 6 << 1 << 0 << 9;
    }

    void changesAreSignalledPerRowOrAsOneRange()
    {
        QFETCH(int, changed);
        QFETCH(int, expectedSignals);
        QFETCH(int, expectedFirstRow);
        QFETCH(int, expectedLastRow);
        IncidentModel model;
        Tester tester(&model, reportToQtTest);
        for (int i = 0; i < 10; ++i)
            model.upsert(samples::incident(u"INC-%1"_s.arg(i), u"svc"_s));
        model.flush();
        QSignalSpy changedSpy(&model, &QAbstractItemModel::dataChanged);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        for (int i = 0; i < changed; ++i)
            model.upsert(samples::incident(u"INC-%1"_s.arg(i), u"svc"_s, IncidentState::Resolved));
        model.flush();
        QCOMPARE(inserted.size(), 0);
        QCOMPARE(changedSpy.size(), expectedSignals);
        const auto first = changedSpy.at(0).at(0).value<QModelIndex>();
        const auto last = changedSpy.at(0).at(1).value<QModelIndex>();
        QCOMPARE(first.row(), expectedFirstRow);
        QCOMPARE(last.row(), expectedLastRow);
        QCOMPARE(last.column(), IncidentModel::ColumnCount - 1);
        QCOMPARE(model.index(0, IncidentModel::StateColumn).data().toString(), u"resolved"_s);
    }

    void showsWhatTheEngineerReads_data()
    {
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("expected");
        QTest::addRow("severity") << int(IncidentModel::SeverityColumn) << u"critical"_s;
        QTest::addRow("service") << int(IncidentModel::ServiceColumn) << u"checkout-svc"_s;
        QTest::addRow("alert") << int(IncidentModel::TitleColumn) << u"DbConnectionPoolExhausted"_s;
        QTest::addRow("runbook") << int(IncidentModel::RunbookColumn) << u"connection-pool-exhaustion"_s;
        QTest::addRow("state") << int(IncidentModel::StateColumn) << u"awaiting approval"_s;
        QTest::addRow("level") << int(IncidentModel::LevelColumn) << u"2 · approve"_s;
        QTest::addRow("age") << int(IncidentModel::AgeColumn) << u"2m 05s"_s;
        QTest::addRow("not resolved yet") << int(IncidentModel::ResolvedInColumn) << QString();
    }

    void showsWhatTheEngineerReads()
    {
        QFETCH(int, column);
        QFETCH(QString, expected);
        IncidentModel model;
        Tester tester(&model, reportToQtTest);
        model.upsert(samples::incident(u"INC-7"_s, u"checkout-svc"_s, IncidentState::AwaitingApproval, 2));
        model.flush();
        model.setNow(samples::at(125));
        QCOMPARE(model.index(0, column).data().toString(), expected);
    }

    void incidentWithoutRunbookSaysSo()
    {
        IncidentModel model;
        model.upsert(samples::incident(u"INC-1"_s, u"svc"_s, IncidentState::Proposed, 0));
        model.flush();
        QCOMPARE(model.index(0, IncidentModel::RunbookColumn).data().toString(), u"no runbook"_s);
    }

    void resolvedInIsDetectionToResolution()
    {
        IncidentModel model;
        Incident i = samples::incident(u"INC-1"_s, u"svc"_s, IncidentState::Resolved);
        i.resolvedAt = samples::at(45);
        model.upsert(i);
        model.flush();
        QCOMPARE(model.index(0, IncidentModel::ResolvedInColumn).data().toString(), u"45s"_s);
        QCOMPARE(model.index(0, 0).data(IncidentModel::ResolvedInRole).toLongLong(), 45'000);
    }

    void ageTicksAsOneColumnRange()
    {
        IncidentModel model;
        Tester tester(&model, reportToQtTest);
        for (int i = 0; i < 4; ++i)
            model.upsert(samples::incident(u"INC-%1"_s.arg(i), u"svc"_s));
        model.flush();
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setNow(samples::at(3600 + 61));
        QCOMPARE(changed.size(), 1);
        QCOMPARE(changed.at(0).at(0).value<QModelIndex>().column(), int(IncidentModel::AgeColumn));
        QCOMPARE(changed.at(0).at(1).value<QModelIndex>().row(), 3);
        QCOMPARE(model.index(2, IncidentModel::AgeColumn).data().toString(), u"1h 01m"_s);
    }

    void searchMatchesEveryWordAnywhere_data()
    {
        QTest::addColumn<QString>("search");
        QTest::addColumn<QStringList>("expected");
        QTest::addRow("empty shows all") << QString() << QStringList { u"INC-1"_s, u"INC-2"_s, u"INC-3"_s };
        QTest::addRow("service") << u"orders"_s << QStringList { u"INC-2"_s };
        QTest::addRow("case does not matter") << u"ORDERS-DB"_s << QStringList { u"INC-2"_s };
        QTest::addRow("two words, both must match") << u"checkout approval"_s << QStringList { u"INC-1"_s };
        QTest::addRow("label value") << u"severity=warning"_s << QStringList { u"INC-3"_s };
        QTest::addRow("incident id") << u"inc-3"_s << QStringList { u"INC-3"_s };
        QTest::addRow("no match") << u"payments"_s << QStringList {};
        QTest::addRow("hostile input is just text") << u"(.*) [ \\ %%s"_s << QStringList {};
    }

    void searchMatchesEveryWordAnywhere()
    {
        QFETCH(QString, search);
        QFETCH(QStringList, expected);
        IncidentModel model;
        IncidentFilter filter;
        filter.setSourceModel(&model);
        Tester tester(&filter, reportToQtTest);
        model.upsert(samples::incident(u"INC-1"_s, u"checkout-svc"_s, IncidentState::AwaitingApproval, 2));
        model.upsert(samples::incident(u"INC-2"_s, u"orders-db"_s, IncidentState::Executing));
        model.upsert(samples::incident(u"INC-3"_s, u"checkout-svc"_s, IncidentState::Resolved, 3, u"warning"_s));
        model.flush();
        filter.setSearchText(search);
        QStringList ids;
        for (int row = 0; row < filter.rowCount(); ++row)
            ids << filter.index(row, 0).data(IncidentModel::IncidentIdRole).toString();
        QCOMPARE(ids, expected);
    }

    void scopeSeparatesResolvedFromTheRest()
    {
        IncidentModel model;
        IncidentFilter filter;
        filter.setSourceModel(&model);
        Tester tester(&filter, reportToQtTest);
        model.upsert(samples::incident(u"INC-1"_s, u"a"_s, IncidentState::Resolved));
        model.upsert(samples::incident(u"INC-2"_s, u"b"_s, IncidentState::Escalated));
        model.flush();
        filter.setScope(IncidentFilter::Scope::Unresolved);
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.index(0, IncidentModel::ServiceColumn).data().toString(), u"b"_s);
        filter.setScope(IncidentFilter::Scope::Resolved);
        QCOMPARE(filter.rowCount(), 1);
        QCOMPARE(filter.index(0, IncidentModel::ServiceColumn).data().toString(), u"a"_s);
        // An incident that resolves while the unresolved scope is shown leaves the list by itself.
        filter.setScope(IncidentFilter::Scope::Unresolved);
        model.upsert(samples::incident(u"INC-2"_s, u"b"_s, IncidentState::Resolved));
        model.flush();
        QCOMPARE(filter.rowCount(), 0);
    }

    void sortsWhatNeedsAHumanFirst()
    {
        IncidentModel model;
        IncidentFilter filter;
        filter.setSourceModel(&model);
        Tester tester(&filter, reportToQtTest);
        filter.sort(IncidentModel::StateColumn, Qt::AscendingOrder);
        model.upsert(samples::incident(u"INC-1"_s, u"resolved"_s, IncidentState::Resolved, 3, u"critical"_s, 0));
        model.upsert(samples::incident(u"INC-2"_s, u"waiting-low"_s, IncidentState::AwaitingApproval, 2, u"low"_s, 10));
        model.upsert(samples::incident(u"INC-3"_s, u"escalated"_s, IncidentState::Escalated, 3, u"high"_s, 20));
        model.upsert(
            samples::incident(u"INC-4"_s, u"waiting-crit"_s, IncidentState::AwaitingApproval, 2, u"critical"_s, 5));
        model.upsert(samples::incident(u"INC-5"_s, u"running"_s, IncidentState::Executing, 3, u"critical"_s, 30));
        model.flush();
        QCOMPARE(column(filter, IncidentModel::ServiceColumn),
            (QStringList { u"waiting-crit"_s, u"waiting-low"_s, u"escalated"_s, u"running"_s, u"resolved"_s }));
        // An incident that starts waiting moves up by itself (dynamic sorting).
        model.upsert(
            samples::incident(u"INC-1"_s, u"resolved"_s, IncidentState::AwaitingApproval, 3, u"critical"_s, 0));
        model.flush();
        QCOMPARE(filter.index(1, IncidentModel::ServiceColumn).data().toString(), u"resolved"_s);
    }

    void sortsSeverityByUrgencyNotAlphabet()
    {
        IncidentModel model;
        IncidentFilter filter;
        filter.setSourceModel(&model);
        filter.sort(IncidentModel::SeverityColumn, Qt::AscendingOrder);
        const QStringList severities { u"info"_s, u"warning"_s, u"critical"_s, u"bogus"_s, u"high"_s };
        for (int i = 0; i < severities.size(); ++i)
            model.upsert(samples::incident(u"INC-%1"_s.arg(i), u"svc"_s, IncidentState::Open, 3, severities.at(i)));
        model.flush();
        QCOMPARE(column(filter, IncidentModel::SeverityColumn),
            (QStringList { u"critical"_s, u"high"_s, u"warning"_s, u"info"_s, u"bogus"_s }));
    }
};

QTEST_GUILESS_MAIN(TestIncidentModel)
#include "tst_incidentmodel.moc"
