// Alertmanager's API v2 answers: real ones (tests/connectors/data, recorded from
// Alertmanager 0.25) and malformed and hostile ones.
#include "connectors/alertmanager/alertmanagerjson.h"
#include "testdata.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

using antibody::test::dataFile;

class TestAlertmanager : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void realAlerts()
    {
        const auto r = alertmanagerjson::parseAlerts(dataFile("am_v2_alerts.json"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.alerts.size(), 1);
        const Alert &a = r.alerts[0];
        QCOMPARE(a.fingerprint, u"ac2d861c9d48456e"_s);
        QCOMPARE(a.name, u"DbConnectionPoolExhausted"_s);
        QCOMPARE(a.service(), u"orders-db"_s);
        QCOMPARE(a.severity(), u"critical"_s);
        QCOMPARE(a.labels.value(u"team"_s), u"dba"_s);
        QCOMPARE(a.annotations.value(u"summary"_s), u"PostgreSQL connection pool almost exhausted on orders-db"_s);
        QCOMPARE(formatTime(a.startsAt), u"2026-11-28T00:29:07.346Z"_s);
        QCOMPARE(a.source, u"alertmanager"_s);
    }

    void realSilenced()
    {
        const auto r = alertmanagerjson::parseAlerts(dataFile("am_v2_alerts_silenced.json"));
        QVERIFY(r.ok);
        QCOMPARE(r.alerts.size(), 1);
    }

    void times_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("expected"); // empty: refused
        QTest::addRow("milliseconds") << u"2026-11-28T00:29:07.346Z"_s << u"2026-11-28T00:29:07.346Z"_s;
        QTest::addRow("nanoseconds") << u"2026-11-28T00:29:08.347379401Z"_s << u"2026-11-28T00:29:08.347Z"_s;
        QTest::addRow("no fraction") << u"2026-11-28T00:29:08Z"_s << u"2026-11-28T00:29:08.000Z"_s;
        QTest::addRow("offset") << u"2026-11-28T01:29:08.5+01:00"_s << u"2026-11-28T00:29:08.500Z"_s;
        QTest::addRow("Go zero time") << u"0001-01-01T00:00:00Z"_s << QString();
        QTest::addRow("garbage") << u"yesterday"_s << QString();
        QTest::addRow("no zone") << u"2026-11-28T00:29:08"_s << QString();
        QTest::addRow("empty") << QString() << QString();
    }
    void times()
    {
        QFETCH(QString, text);
        QFETCH(QString, expected);
        const auto t = alertmanagerjson::parseRfc3339(text);
        QCOMPARE(t.has_value(), !expected.isEmpty());
        if (t)
            QCOMPARE(formatTime(*t), expected);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("says");
        QTest::addRow("empty") << QByteArray() << u"not valid JSON"_s;
        QTest::addRow("truncated") << dataFile("am_v2_alerts.json").left(200) << u"not valid JSON"_s;
        QTest::addRow("object, not list") << QByteArray("{\"alerts\":[]}") << u"list of alerts"_s;
        QTest::addRow("html") << QByteArray("<html>503</html>") << u"not valid JSON"_s;
        QTest::addRow("item not object") << QByteArray("[1]") << u"alert [0]"_s;
        QTest::addRow("no fingerprint") << QByteArray("[{\"labels\":{},\"startsAt\":\"2026-11-28T00:29:07Z\"}]")
                                        << u"alert [0]"_s;
        QTest::addRow("empty fingerprint")
            << QByteArray("[{\"fingerprint\":\"\",\"labels\":{},\"startsAt\":\"2026-11-28T00:29:07Z\"}]")
            << u"alert [0]"_s;
        QTest::addRow("fingerprint number")
            << QByteArray("[{\"fingerprint\":7,\"labels\":{},\"startsAt\":\"2026-11-28T00:29:07Z\"}]")
            << u"alert [0]"_s;
        QTest::addRow("labels list") << QByteArray(
            "[{\"fingerprint\":\"a\",\"labels\":[],\"startsAt\":\"2026-11-28T00:29:07Z\"}]")
                                     << u"alert [0]"_s;
        QTest::addRow("label number") << QByteArray(
            "[{\"fingerprint\":\"a\",\"labels\":{\"x\":1},\"startsAt\":\"2026-11-28T00:29:07Z\"}]")
                                      << u"alert [0]"_s;
        QTest::addRow("no startsAt") << QByteArray("[{\"fingerprint\":\"a\",\"labels\":{}}]") << u"alert [0]"_s;
        QTest::addRow("bad startsAt") << QByteArray("[{\"fingerprint\":\"a\",\"labels\":{},\"startsAt\":\"soon\"}]")
                                      << u"alert [0]"_s;
        QTest::addRow("annotations number") << QByteArray(
            "[{\"fingerprint\":\"a\",\"labels\":{},\"startsAt\":\"2026-11-28T00:29:07Z\",\"annotations\":{\"s\":[1]}}]")
                                            << u"annotations"_s;
        QTest::addRow("second bad") << QByteArray(
            "[{\"fingerprint\":\"a\",\"labels\":{},\"startsAt\":\"2026-11-28T00:29:07Z\"},{}]")
                                    << u"alert [1]"_s;
        QTest::addRow("deep") << (QByteArray(100'000, '[') + QByteArray(100'000, ']')) << u"not valid JSON"_s;
    }
    void malformed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, says);
        const auto r = alertmanagerjson::parseAlerts(json);
        QVERIFY(!r.ok);
        QVERIFY(r.alerts.isEmpty()); // never a partial list: a missing alert would look resolved
        QVERIFY2(r.error.contains(says), qPrintable(r.error));
    }

    void manyAlerts()
    {
        QByteArray json = "[";
        for (int i = 0; i < 20'000; ++i) {
            if (i)
                json += ',';
            json += "{\"fingerprint\":\"f" + QByteArray::number(i) + "\",\"labels\":{\"alertname\":\"A\",\"pod\":\"p"
                + QByteArray::number(i) + "\"},\"startsAt\":\"2026-11-28T00:29:07.346Z\"}";
        }
        json += "]";
        const auto r = alertmanagerjson::parseAlerts(json);
        QVERIFY(r.ok);
        QCOMPARE(r.alerts.size(), 20'000);
    }

    void hugeFingerprintIsCut()
    {
        const QByteArray json = "[{\"fingerprint\":\"" + QByteArray(100'000, 'f')
            + "\",\"labels\":{},\"startsAt\":\"2026-11-28T00:29:07Z\"}]";
        const auto r = alertmanagerjson::parseAlerts(json);
        QVERIFY(r.ok);
        QCOMPARE(r.alerts[0].fingerprint.size(), 128);
    }

    void status()
    {
        QString error;
        const auto t
            = alertmanagerjson::parseStartedAt("{\"uptime\":\"2026-11-28T01:23:27.256Z\",\"cluster\":{}}", &error);
        QVERIFY(t);
        QCOMPARE(formatTime(*t), u"2026-11-28T01:23:27.256Z"_s);
        QVERIFY(!alertmanagerjson::parseStartedAt("{}", &error));
        QVERIFY(error.contains(u"uptime"_s));
        QVERIFY(!alertmanagerjson::parseStartedAt("nope", &error));
        QVERIFY(error.contains(u"not valid JSON"_s));
    }
};

QTEST_GUILESS_MAIN(TestAlertmanager)
#include "tst_alertmanager.moc"
