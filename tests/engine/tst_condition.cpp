#include "engine/runbook/condition.h"

#include <QTest>

using namespace Qt::StringLiterals;
using antibody::Condition;

namespace {

Condition::Facts factsFrom(const QVariantMap &map)
{
    return [map](const QStringList &path) -> std::optional<QVariant> {
        const auto it = map.constFind(path.join(u'.'));
        if (it == map.constEnd())
            return std::nullopt;
        return *it;
    };
}

} // namespace

class TestCondition : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void evaluate_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("value");
        QTest::addColumn<bool>("known");
        QTest::addRow("seed escalation") << u"verify_recovery.failed"_s << true << true;
        QTest::addRow("outcome false") << u"verify_recovery.succeeded"_s << false << true;
        QTest::addRow("text fact bare word") << u"diagnose.cause == leak"_s << true << true;
        QTest::addRow("text fact quoted") << u"diagnose.cause == 'traffic_spike'"_s << false << true;
        QTest::addRow("not equal") << u"diagnose.cause != traffic_spike"_s << true << true;
        QTest::addRow("percent") << u"diagnose.idle_ratio > 50%"_s << true << true;
        QTest::addRow("number") << u"diagnose.long_running_queries >= 4"_s << false << true;
        QTest::addRow("seconds") << u"diagnose.p99 > 2s"_s << true << true;
        QTest::addRow("and") << u"diagnose.cause == leak and verify_recovery.failed"_s << true << true;
        QTest::addRow("or short-circuits") << u"verify_recovery.failed or missing.fact"_s << true << true;
        QTest::addRow("not") << u"not verify_recovery.failed"_s << false << true;
        QTest::addRow("parentheses") << u"not (diagnose.cause == leak and diagnose.idle_ratio < 10%)"_s << true << true;
        QTest::addRow("unknown fact") << u"scale_out.failed"_s << false << false;
        QTest::addRow("bool literal") << u"diagnose.recent_deploy == false"_s << true << true;
        QTest::addRow("text vs order") << u"diagnose.cause > 3"_s << false << false;
    }
    void evaluate()
    {
        QFETCH(QString, text);
        QFETCH(bool, value);
        QFETCH(bool, known);
        Condition::ParseError error;
        const auto c = Condition::parse(text, &error);
        QVERIFY2(c, qPrintable(error.message));
        const auto facts = factsFrom({
            { u"verify_recovery.failed"_s, true },
            { u"verify_recovery.succeeded"_s, false },
            { u"diagnose.cause"_s, u"leak"_s },
            { u"diagnose.idle_ratio"_s, 0.8 },
            { u"diagnose.long_running_queries"_s, 1.0 },
            { u"diagnose.p99"_s, 4.2 },
            { u"diagnose.recent_deploy"_s, false },
        });
        const auto verdict = c->evaluate(facts);
        QCOMPARE(verdict.known, known);
        QCOMPARE(verdict.value, value);
        QVERIFY(!verdict.explanation.isEmpty());
    }

    void references()
    {
        const auto c = Condition::parse(u"a.failed and (b.cause == leak or not c.x > 1)", nullptr);
        QVERIFY(c);
        const QList<QStringList> expected { { u"a"_s, u"failed"_s }, { u"b"_s, u"cause"_s }, { u"c"_s, u"x"_s } };
        QCOMPARE(c->references(), expected);
    }

    void roundTripsToText()
    {
        const auto c = Condition::parse(u"a.failed and (b.cause == leak or c.x > 50%)", nullptr);
        QVERIFY(c);
        QCOMPARE(c->toString(), u"a.failed and (b.cause == leak or c.x > 50%)"_s);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("column");
        QTest::addRow("empty") << u""_s << 0;
        QTest::addRow("dangling and") << u"a.failed and"_s << 12;
        QTest::addRow("leading or") << u"or a.failed"_s << 0;
        QTest::addRow("unbalanced open") << u"(a.failed"_s << 9;
        QTest::addRow("unbalanced close") << u"a.failed)"_s << 8;
        QTest::addRow("symbol operator") << u"a.failed && b.failed"_s << 9;
        QTest::addRow("missing value") << u"a.cause =="_s << 10;
        QTest::addRow("bad comparator") << u"a.x => 1"_s << 4;
        QTest::addRow("unterminated text") << u"a.cause == 'leak"_s << 11;
        QTest::addRow("bad number") << u"a.x > 5q%"_s << 6;
        QTest::addRow("trailing dot") << u"a."_s << 0;
        QTest::addRow("two facts no joiner") << u"a.failed b.failed"_s << 9;
        QTest::addRow("odd character") << u"a.failed; rm -rf /"_s << 8;
    }
    void errors()
    {
        QFETCH(QString, text);
        QFETCH(int, column);
        Condition::ParseError error;
        QVERIFY(!Condition::parse(text, &error));
        QVERIFY(!error.message.isEmpty());
        QCOMPARE(error.column, column);
    }

    void hostileNesting()
    {
        Condition::ParseError error;
        const QString deep = QString(5000, u'(') + u"a.failed"_s + QString(5000, u')');
        QVERIFY(!Condition::parse(deep, &error)); // too long, never a stack overflow
        const QString nested = QString(100, u'(') + u"a.failed"_s + QString(100, u')');
        QVERIFY(!Condition::parse(nested, &error));
        QVERIFY(error.message.contains(u"nested"_s));
        QString nots;
        for (int i = 0; i < 200; ++i)
            nots += u"not "_s;
        QVERIFY(!Condition::parse(nots + u"a.failed"_s, &error));
    }
};

QTEST_GUILESS_MAIN(TestCondition)
#include "tst_condition.moc"
