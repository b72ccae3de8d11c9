#include "engine/core/time.h"

#include <QTest>

using namespace Qt::StringLiterals;
using antibody::Duration;

class TestTime : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void parseDuration_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("millis"); // -1: invalid
        QTest::addRow("seconds") << u"300s"_s << qint64(300'000);
        QTest::addRow("minutes") << u"5m"_s << qint64(300'000);
        QTest::addRow("compound") << u"1h30m"_s << qint64(5'400'000);
        QTest::addRow("millis") << u"250ms"_s << qint64(250);
        QTest::addRow("days") << u"2d"_s << qint64(172'800'000);
        QTest::addRow("all units") << u"1d2h3m4s5ms"_s << qint64(93'784'005);
        QTest::addRow("spaces trimmed") << u"  10s "_s << qint64(10'000);
        QTest::addRow("zero") << u"0s"_s << qint64(0);
        QTest::addRow("empty") << u""_s << qint64(-1);
        QTest::addRow("bare number") << u"300"_s << qint64(-1);
        QTest::addRow("unknown unit") << u"5w"_s << qint64(-1);
        QTest::addRow("fraction") << u"1.5s"_s << qint64(-1);
        QTest::addRow("negative") << u"-5s"_s << qint64(-1);
        QTest::addRow("units out of order") << u"30s1m"_s << qint64(-1);
        QTest::addRow("unit twice") << u"1m1m"_s << qint64(-1);
        QTest::addRow("overflow") << u"999999999999d"_s << qint64(-1);
        QTest::addRow("too many digits") << u"9999999999999999999s"_s << qint64(-1);
        QTest::addRow("trailing garbage") << u"5m!"_s << qint64(-1);
    }
    void parseDuration()
    {
        QFETCH(QString, text);
        QFETCH(qint64, millis);
        const auto d = antibody::parseDuration(text);
        if (millis < 0) {
            QVERIFY2(!d, qPrintable(u"accepted %1 as %2 ms"_s.arg(text).arg(d ? d->count() : 0)));
        } else {
            QVERIFY(d);
            QCOMPARE(d->count(), millis);
        }
    }

    void formatDuration_data()
    {
        QTest::addColumn<qint64>("millis");
        QTest::addColumn<QString>("text");
        QTest::addRow("zero") << qint64(0) << u"0s"_s;
        QTest::addRow("minutes and seconds") << qint64(90'000) << u"1m30s"_s;
        QTest::addRow("millis") << qint64(250) << u"250ms"_s;
        QTest::addRow("hours") << qint64(3'600'000) << u"1h"_s;
        QTest::addRow("negative") << qint64(-2'000) << u"-2s"_s;
    }
    void formatDuration()
    {
        QFETCH(qint64, millis);
        QFETCH(QString, text);
        QCOMPARE(antibody::formatDuration(Duration { millis }), text);
        if (millis >= 0) // what we print, we can read back
            QCOMPARE(antibody::parseDuration(text)->count(), millis);
    }

    void timeRoundTrip()
    {
        const auto t = antibody::fromMillis(1'780'000'000'123);
        const QString iso = antibody::formatTime(t);
        QVERIFY(iso.endsWith(u".123Z"_s));
        QCOMPARE(antibody::parseTime(iso), t);
        QVERIFY(!antibody::parseTime(u"yesterday"_s));
    }
};

QTEST_GUILESS_MAIN(TestTime)
#include "tst_time.moc"
