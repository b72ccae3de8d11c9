#include "engine/runbook/measure.h"

#include <QTest>

using namespace Qt::StringLiterals;
using antibody::Cap;
using antibody::Measure;

class TestMeasure : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parse_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("valid");
        QTest::addColumn<double>("value");
        QTest::addColumn<int>("kind");
        QTest::addRow("percent") << u"90%"_s << true << 0.9 << int(Measure::Kind::Percent);
        QTest::addRow("fraction") << u"0.7"_s << true << 0.7 << int(Measure::Kind::Plain);
        QTest::addRow("seconds fraction") << u"4.2s"_s << true << 4.2 << int(Measure::Kind::Seconds);
        QTest::addRow("millis") << u"800ms"_s << true << 0.8 << int(Measure::Kind::Seconds);
        QTest::addRow("minutes") << u"2m"_s << true << 120.0 << int(Measure::Kind::Seconds);
        QTest::addRow("compound duration") << u"1m30s"_s << true << 90.0 << int(Measure::Kind::Seconds);
        QTest::addRow("integer") << u"120"_s << true << 120.0 << int(Measure::Kind::Plain);
        QTest::addRow("empty") << u""_s << false << 0.0 << 0;
        QTest::addRow("word") << u"high"_s << false << 0.0 << 0;
        QTest::addRow("percent word") << u"lots%"_s << false << 0.0 << 0;
        QTest::addRow("infinity") << u"inf"_s << false << 0.0 << 0;
        QTest::addRow("nan") << u"nan"_s << false << 0.0 << 0;
        QTest::addRow("huge text") << QString(100, u'9') << false << 0.0 << 0;
    }
    void parse()
    {
        QFETCH(QString, text);
        QFETCH(bool, valid);
        QFETCH(double, value);
        QFETCH(int, kind);
        const auto m = Measure::parse(text);
        QCOMPARE(bool(m), valid);
        if (m) {
            QVERIFY(qFuzzyCompare(m->value, value));
            QCOMPARE(int(m->kind), kind);
        }
    }

    void capAllowed_data()
    {
        QTest::addColumn<QString>("cap");
        QTest::addColumn<int>("fleet");
        QTest::addColumn<int>("allowed");
        // The seed's pool example: 15% per pass of 19, 17, 15 connections is 2 each time.
        QTest::addRow("15%% of 19") << u"15%"_s << 19 << 2;
        QTest::addRow("15%% of 20 is exact") << u"15%"_s << 20 << 3;
        QTest::addRow("10%% of 5 is at least one") << u"10%"_s << 5 << 1;
        QTest::addRow("absolute 2 of 5") << u"2"_s << 5 << 2;
        QTest::addRow("absolute larger than fleet") << u"10"_s << 3 << 3;
        QTest::addRow("empty fleet") << u"15%"_s << 0 << 0;
        QTest::addRow("100%%") << u"100%"_s << 7 << 7;
    }
    void capAllowed()
    {
        QFETCH(QString, cap);
        QFETCH(int, fleet);
        QFETCH(int, allowed);
        const auto c = Cap::parse(cap);
        QVERIFY(c);
        QCOMPARE(c->allowed(fleet), allowed);
    }

    void capRejects_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addRow("zero percent") << u"0%"_s;
        QTest::addRow("over 100%%") << u"150%"_s;
        QTest::addRow("fraction count") << u"1.5"_s;
        QTest::addRow("zero") << u"0"_s;
        QTest::addRow("duration") << u"5m"_s;
        QTest::addRow("negative") << u"-2"_s;
    }
    void capRejects()
    {
        QFETCH(QString, text);
        QVERIFY(!Cap::parse(text));
    }
};

QTEST_GUILESS_MAIN(TestMeasure)
#include "tst_measure.moc"
