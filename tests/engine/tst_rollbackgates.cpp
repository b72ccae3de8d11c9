#include "engine/pipeline/rollbackgates.h"

#include <QTest>

using namespace Qt::StringLiterals;
using antibody::RollbackGates;

class TestRollbackGates : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void gates_data()
    {
        QTest::addColumn<double>("errorRate");
        QTest::addColumn<double>("p99");
        QTest::addColumn<double>("rate5xx");
        QTest::addColumn<double>("orders");
        QTest::addColumn<bool>("rollback");
        QTest::addColumn<QString>("failing");
        QTest::addRow("healthy deploy") << 0.005 << 0.4 << 0.001 << 120.0 << false << QString();
        QTest::addRow("error rate") << 0.083 << 0.4 << 0.001 << 120.0 << true << u"error rate"_s;
        QTest::addRow("p99") << 0.005 << 4.2 << 0.001 << 120.0 << true << u"p99"_s;
        QTest::addRow("5xx") << 0.005 << 0.4 << 0.05 << 120.0 << true << u"5xx"_s;
        // 200s with wrong answers: only the business metric sees it
        QTest::addRow("business metric") << 0.005 << 0.4 << 0.001 << 12.0 << true
                                         << u"service:orders_created:per_minute"_s;
    }
    void gates()
    {
        QFETCH(double, errorRate);
        QFETCH(double, p99);
        QFETCH(double, rate5xx);
        QFETCH(double, orders);
        QFETCH(bool, rollback);
        QFETCH(QString, failing);
        RollbackGates gates;
        gates.minBusiness = 50;
        const auto v = gates.evaluate({ errorRate, p99, rate5xx, orders });
        QCOMPARE(v.rollback, rollback);
        QCOMPARE(v.failing.size(), rollback ? 1 : 0);
        if (rollback)
            QVERIFY2(v.failing.front().contains(failing), qPrintable(v.failing.front()));
    }

    void missingDataIsNeverAReasonToRollBack()
    {
        RollbackGates gates;
        gates.minBusiness = 50;
        const auto v = gates.evaluate({ std::nullopt, 0.3, std::nullopt, std::nullopt });
        QVERIFY(!v.rollback);
        QCOMPARE(v.unknown.size(), 3);
    }
};

QTEST_GUILESS_MAIN(TestRollbackGates)
#include "tst_rollbackgates.moc"
