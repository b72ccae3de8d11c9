#include "engine/runbook/triggerexpression.h"

#include <QTest>

using namespace Qt::StringLiterals;
using antibody::TriggerExpression;

class TestTriggerExpression : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void seedExpression()
    {
        TriggerExpression::ParseError error;
        const auto e = TriggerExpression::parse(u"db_connection_pool_utilization > 90%", &error);
        QVERIFY2(e, qPrintable(error.message));
        QVERIFY(e->isMetric());
        QCOMPARE(e->name, u"db_connection_pool_utilization"_s);
        QCOMPARE(*e->comparator, antibody::Comparator::Greater);
        QVERIFY(qFuzzyCompare(e->threshold.value, 0.9));
    }

    void alertWithMatchers()
    {
        const auto e = TriggerExpression::parse(
            u"DbConnectionPoolExhausted{service=\"orders-db\", severity=~\"crit.*|page\"}", nullptr);
        QVERIFY(e);
        QVERIFY(!e->isMetric());
        QCOMPARE(e->matchers.size(), 2);
        QVERIFY(e->matchesAlert(
            u"DbConnectionPoolExhausted"_s, { { u"service"_s, u"orders-db"_s }, { u"severity"_s, u"critical"_s } }));
        QVERIFY(!e->matchesAlert(
            u"DbConnectionPoolExhausted"_s, { { u"service"_s, u"billing-db"_s }, { u"severity"_s, u"critical"_s } }));
        QVERIFY(!e->matchesAlert(u"Other"_s, { { u"service"_s, u"orders-db"_s }, { u"severity"_s, u"critical"_s } }));
    }

    void selectorWithoutName()
    {
        const auto e = TriggerExpression::parse(u"{guard=~\"data_corruption|security_incident\"}", nullptr);
        QVERIFY(e);
        QVERIFY(e->matchesAlert(u"Anything"_s, { { u"guard"_s, u"security_incident"_s } }));
        QVERIFY(!e->matchesAlert(u"Anything"_s, { { u"guard"_s, u"unknown_cascade"_s } }));
    }

    void recordingRuleNames()
    {
        const auto e = TriggerExpression::parse(u"service:pg_connection_utilization:ratio > 0.9", nullptr);
        QVERIFY(e);
        QCOMPARE(e->name, u"service:pg_connection_utilization:ratio"_s);
        QCOMPARE(e->selectorText(), e->name);
    }

    void latencyUnits()
    {
        const auto e = TriggerExpression::parse(u"latency_p99_seconds{service=\"checkout-svc\"} >= 1500ms", nullptr);
        QVERIFY(e);
        QVERIFY(qFuzzyCompare(e->threshold.value, 1.5));
        QCOMPARE(e->selectorText(), u"latency_p99_seconds{service=\"checkout-svc\"}"_s);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("fragment");
        QTest::addRow("empty") << u""_s << 0 << u"empty"_s;
        QTest::addRow("unclosed matchers") << u"up{job=\"x\""_s << 10 << u"not closed"_s;
        QTest::addRow("unquoted value") << u"up{job=x}"_s << 7 << u"quoted"_s;
        QTest::addRow("bad operator") << u"up{job~\"x\"}"_s << 6 << u"expected ="_s;
        QTest::addRow("bad comparator") << u"cpu => 90%"_s << 4 << u"unknown comparator"_s;
        QTest::addRow("missing value") << u"cpu > "_s << 6 << u"expected a number"_s;
        QTest::addRow("word value") << u"cpu > high"_s << 6 << u"expected a number"_s;
        QTest::addRow("empty selector") << u"{}"_s << 0 << u"every alert"_s;
        QTest::addRow("comparison without name") << u"{a=\"b\"} > 1"_s << 8 << u"metric name"_s;
        QTest::addRow("bad regex") << u"up{job=~\"(x\"}"_s << 11 << u"regular expression"_s;
        QTest::addRow("garbage") << u"cpu 90"_s << 4 << u"unexpected text"_s;
        QTest::addRow("starts with digit") << u"9cpu > 1"_s << 0 << u"expected an alert"_s;
    }
    void errors()
    {
        QFETCH(QString, text);
        QFETCH(int, column);
        QFETCH(QString, fragment);
        TriggerExpression::ParseError error;
        QVERIFY(!TriggerExpression::parse(text, &error));
        QVERIFY2(error.message.contains(fragment), qPrintable(error.message));
        QCOMPARE(error.column, column);
    }

    void hostileLength()
    {
        TriggerExpression::ParseError error;
        QVERIFY(!TriggerExpression::parse(QString(10'000, u'a'), &error));
        QVERIFY(error.message.contains(u"longer"_s));
    }
};

QTEST_GUILESS_MAIN(TestTriggerExpression)
#include "tst_triggerexpression.moc"
