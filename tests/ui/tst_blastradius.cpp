#include "tests/support/samples.h"
#include "ui/blastradiusgrid.h"
#include "ui/blastradiusview.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using Cell = BlastRadiusGrid::Cell;

// The blast-radius preview's geometry, computed without painting.
class TestBlastRadius : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void wrapsToTheWidth_data()
    {
        QTest::addColumn<int>("fleet");
        QTest::addColumn<int>("width");
        QTest::addColumn<int>("columns");
        QTest::addColumn<int>("rows");
        QTest::addColumn<int>("cell");
        QTest::addRow("5 pods in one row") << 5 << 400 << 5 << 1 << 22;
        QTest::addRow("5 pods, narrow") << 5 << 60 << 2 << 3 << 22;
        QTest::addRow("narrower than a cell: one column, cells shrink to stay in budget") << 5 << 3 << 1 << 5 << 21;
        QTest::addRow("20 pods wrap") << 20 << 200 << 8 << 3 << 22;
        QTest::addRow("300 connections shrink to fit 120 px") << 300 << 400 << 33 << 10 << 9;
        QTest::addRow("2000 targets: smallest cells, grid grows") << 2000 << 400 << 40 << 50 << 7;
    }

    void wrapsToTheWidth()
    {
        QFETCH(int, fleet);
        QFETCH(int, width);
        QFETCH(int, columns);
        QFETCH(int, rows);
        QFETCH(int, cell);
        const auto grid = BlastRadiusGrid::layout(samples::podRadius(fleet, 2, 2), width);
        QCOMPARE(grid.items.size(), fleet);
        QCOMPARE(grid.columns, columns);
        QCOMPARE(grid.rows, rows);
        QCOMPARE(grid.cellSize, cell);
        if (grid.cellSize > BlastRadiusGrid::smallestCell)
            QVERIFY(grid.size().height() <= 120);
        if (grid.columns > 1)
            QVERIFY(grid.size().width() <= width);
        // No two cells overlap, and each is where its index says.
        for (qsizetype i = 1; i < grid.items.size(); ++i)
            QVERIFY(!grid.items.at(i).rect.intersects(grid.items.at(i - 1).rect));
        QCOMPARE(grid.items.last().rect.bottom() + 1, grid.size().height());
    }

    void cellsSayWhatEachTargetFaces()
    {
        BlastRadius radius = samples::podRadius(6, 4, 2); // 4 candidates, 2 this cycle
        QCOMPARE(BlastRadiusGrid::cellOf(radius, u"checkout-svc-1"_s), Cell::Chosen);
        QCOMPARE(BlastRadiusGrid::cellOf(radius, u"checkout-svc-3"_s), Cell::Later);
        QCOMPARE(BlastRadiusGrid::cellOf(radius, u"checkout-svc-6"_s), Cell::Untouched);
        const auto grid = BlastRadiusGrid::layout(radius, 400);
        QCOMPARE(grid.count(Cell::Chosen), 2);
        QCOMPARE(grid.count(Cell::Later), 2);
        QCOMPARE(grid.count(Cell::Untouched), 2);
        const auto *third = grid.itemAt(grid.items.at(2).rect.center());
        QVERIFY(third);
        QCOMPARE(third->target, u"checkout-svc-3"_s);
        QVERIFY(!grid.itemAt(QPoint(-5, -5)));
    }

    void emptyFleetIsEmpty()
    {
        BlastRadius radius;
        const auto grid = BlastRadiusGrid::layout(radius, 300);
        QVERIFY(grid.items.isEmpty());
        QCOMPARE(grid.size(), QSize(0, 0));
    }

    void viewAsksForTheHeightItNeeds()
    {
        BlastRadiusView view;
        view.setBlastRadius(samples::podRadius(20, 3, 2));
        view.show();
        QVERIFY(QTest::qWaitForWindowExposed(&view));
        QVERIFY(view.hasHeightForWidth());
        QCOMPARE(view.heightForWidth(200), BlastRadiusGrid::layout(view.blastRadius(), 200).size().height());
        view.resize(200, view.heightForWidth(200));
        QTRY_COMPARE(view.grid().columns, 8);
        QCOMPARE(view.accessibleName(), view.blastRadius().summary());
        view.resize(400, view.heightForWidth(400));
        QTRY_COMPARE(view.grid().rows, 2); // relayout on resize
    }
};

QTEST_MAIN(TestBlastRadius)
#include "tst_blastradius.moc"
