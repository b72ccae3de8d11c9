// Prometheus without a server: the PromQL selector lexer and the readers of the
// HTTP API's answers, against real answers (tests/connectors/data, recorded from
// Prometheus 2.42) and against malformed and hostile ones.
#include "connectors/prometheus/prometheusjson.h"
#include "connectors/prometheus/promqlselectors.h"
#include "testdata.h"

#include <QTest>
#include <cmath>
#include <limits>

using namespace Qt::StringLiterals;
using namespace antibody;

using antibody::test::dataFile;

class TestPrometheus : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void selectors_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QStringList>("selectors");
        QTest::addColumn<bool>("plain");
        QTest::addRow("name") << u"up"_s << QStringList { u"up"_s } << true;
        QTest::addRow("recording rule") << u"service:pg_connection_utilization:ratio"_s
                                        << QStringList { u"service:pg_connection_utilization:ratio"_s } << true;
        QTest::addRow("matchers, spaces kept in values")
            << u"  db_pool_utilization{ service = \"orders db\" , zone=~\"a|b\"}  "_s
            << QStringList { u"db_pool_utilization{service=\"orders db\",zone=~\"a|b\"}"_s } << true;
        QTest::addRow("matchers only") << u"{__name__=~\"pg_.*\"}"_s << QStringList { u"{__name__=~\"pg_.*\"}"_s }
                                       << true;
        QTest::addRow("realstack utilization")
            << u"sum by (service) (pg_stat_activity_count) / max by (service) (pg_settings_max_connections)"_s
            << QStringList { u"pg_stat_activity_count"_s, u"pg_settings_max_connections"_s } << false;
        QTest::addRow("aggregation clause after")
            << u"sum(rate(http_requests_total{code=~\"5..\"}[5m])) without (instance)"_s
            << QStringList { u"http_requests_total{code=~\"5..\"}"_s } << false;
        QTest::addRow("binary with on and group_left")
            << u"a * on (pod) group_left (node) b"_s << QStringList { u"a"_s, u"b"_s } << false;
        QTest::addRow("group_left without list")
            << u"a * on(pod) group_left b"_s << QStringList { u"a"_s, u"b"_s } << false;
        QTest::addRow("comparison and bool") << u"x > bool 0.9"_s << QStringList { u"x"_s } << false;
        QTest::addRow("offset and duration") << u"x offset 5m"_s << QStringList { u"x"_s } << false;
        QTest::addRow("subquery") << u"max_over_time(x[10m:1m])"_s << QStringList { u"x"_s } << false;
        QTest::addRow("strings are not selectors")
            << u"label_replace(up, \"dst\", \"$1\", \"src\", \"(.*)\")"_s << QStringList { u"up"_s } << false;
        QTest::addRow("constant") << u"vector(1)"_s << QStringList {} << false;
        QTest::addRow("number") << u"42"_s << QStringList {} << false;
        QTest::addRow("duplicates once") << u"x / x"_s << QStringList { u"x"_s } << false;
        QTest::addRow("and or unless") << u"a and b or c unless d"_s << QStringList { u"a"_s, u"b"_s, u"c"_s, u"d"_s }
                                       << false;
        QTest::addRow("nan inf") << u"x > Inf or x == NaN"_s << QStringList { u"x"_s } << false;
        QTest::addRow("escaped quote in matcher")
            << u"x{a=\"q\\\"}\"}"_s << QStringList { u"x{a=\"q\\\"}\"}"_s } << true;
        QTest::addRow("comment") << u"x # y\n"_s << QStringList { u"x"_s } << true;
        QTest::addRow("unterminated brace") << u"x{a=\"b\""_s << QStringList { u"x{a=\"b\""_s } << true;
        QTest::addRow("empty") << QString() << QStringList {} << false;
    }
    void selectors()
    {
        QFETCH(QString, expression);
        QFETCH(QStringList, selectors);
        QFETCH(bool, plain);
        QCOMPARE(vectorSelectors(expression), selectors);
        QCOMPARE(isPlainSelector(expression), plain);
    }

    void selectorNames()
    {
        QCOMPARE(selectorName(u"pg_up{job=\"x\"}"), u"pg_up"_s);
        QCOMPARE(selectorName(u"a:b:c"), u"a:b:c"_s);
        QCOMPARE(selectorName(u"{__name__=\"x\"}"), QString());
    }

    void hostileExpressionsDoNotHang_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addRow("deep parentheses") << QString(u"("_s.repeated(100'000) + u"x"_s + u")"_s.repeated(100'000));
        QTest::addRow("many selectors") << QStringList(20'000, u"a"_s).join(u" + "_s);
        QTest::addRow("open quotes") << QString(50'000, u'"');
        QTest::addRow("open braces") << QString(50'000, u'{');
        QTest::addRow("binary") << QString::fromLatin1(QByteArray(10'000, '\x01'));
    }
    void hostileExpressionsDoNotHang()
    {
        QFETCH(QString, expression);
        const QStringList found = vectorSelectors(expression);
        QVERIFY(found.size() <= 1);
    }

    void realInstantVector()
    {
        const auto r = prometheusjson::parseInstant(dataFile("prom_v1_query_utilization.json"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.samples.size(), 1);
        QCOMPARE(r.samples[0].labels, (Labels { { u"service"_s, u"orders-db"_s } }));
        QCOMPARE(r.samples[0].value, 0.95);
        QCOMPARE(toMillis(r.samples[0].at), 1795825748559);
    }

    void realInstantWithName()
    {
        const auto r = prometheusjson::parseInstant(dataFile("prom_v1_query_ALERTS.json"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(!r.samples.isEmpty());
        QCOMPARE(r.samples[0].labels.value(u"__name__"_s), u"ALERTS"_s);
    }

    void realRules()
    {
        const auto r = prometheusjson::parseRules(dataFile("prom_v1_rules.json"));
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.recording.size(), 1); // the alerting rule is not a recording rule
        QCOMPARE(r.recording.value(u"service:pg_connection_utilization:ratio"_s),
            u"sum by (service) (pg_stat_activity_count) / max by (service) (pg_settings_max_connections)"_s);
        // ... and antibodyctl doctor looks the runbooks' alerts up among the alerting rules' names.
        QCOMPARE(r.alerting, QStringList { u"DbConnectionPoolExhausted"_s });
    }

    void instantShapes_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<int>("samples");
        QTest::addColumn<double>("first");
        QTest::addRow("scalar") << QByteArray(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"scalar\",\"result\":[1700000000.5,\"1\"]}}")
                                << 1 << 1.0;
        QTest::addRow("empty vector") << QByteArray(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}")
                                      << 0 << 0.0;
        QTest::addRow("+Inf") << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{"
                                            "\"metric\":{},\"value\":[1,\"+Inf\"]}]}}")
                              << 1 << std::numeric_limits<double>::infinity();
        QTest::addRow("NaN is dropped") << QByteArray(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":{},\"value\":[1,"
            "\"NaN\"]},{\"metric\":{\"a\":\"b\"},\"value\":[1,\"2\"]}]}}")
                                        << 1 << 2.0;
        QTest::addRow("exponent") << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                                                "\"result\":[{\"metric\":{},\"value\":[1,\"1e-3\"]}]}}")
                                  << 1 << 0.001;
        QTest::addRow("extra fields ignored")
            << QByteArray("{\"status\":\"success\",\"warnings\":[\"w\"],\"data\":{\"resultType\":\"vector\",\"result\":"
                          "[{\"metric\":{},\"value\":[1,\"3\"],\"x\":1}],\"stats\":{}}}")
            << 1 << 3.0;
    }
    void instantShapes()
    {
        QFETCH(QByteArray, json);
        QFETCH(int, samples);
        QFETCH(double, first);
        const auto r = prometheusjson::parseInstant(json);
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.samples.size(), samples);
        if (samples > 0)
            QCOMPARE(r.samples[0].value, first);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("says");
        QTest::addRow("empty") << QByteArray() << u"not valid JSON"_s;
        QTest::addRow("truncated") << dataFile("prom_v1_query_utilization.json").left(120) << u"not valid JSON"_s;
        QTest::addRow("html error page") << QByteArray("<html><body>502 Bad Gateway</body></html>")
                                         << u"not valid JSON"_s;
        QTest::addRow("array") << QByteArray("[1,2]") << u"expected a JSON object"_s;
        QTest::addRow("no status") << QByteArray("{\"data\":{}}") << u"expected status"_s;
        QTest::addRow("error answer") << QByteArray(
            "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"parse error at char 4\"}")
                                      << u"bad_data: parse error at char 4"_s;
        QTest::addRow("data not object") << QByteArray("{\"status\":\"success\",\"data\":[]}") << u"\"data\""_s;
        QTest::addRow("no resultType") << QByteArray("{\"status\":\"success\",\"data\":{\"result\":[]}}")
                                       << u"resultType"_s;
        QTest::addRow("string result") << QByteArray(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"string\",\"result\":[1,\"x\"]}}")
                                       << u"string"_s;
        QTest::addRow("matrix for instant")
            << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[]}}")
            << u"range of values"_s;
        QTest::addRow("result not list") << QByteArray(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":{}}}")
                                         << u"not a list"_s;
        QTest::addRow("value as number") << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                                                       "\"result\":[{\"metric\":{},\"value\":[1,0.5]}]}}")
                                         << u"result[0]"_s;
        QTest::addRow("value not numeric") << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                                                         "\"result\":[{\"metric\":{},\"value\":[1,\"abc\"]}]}}")
                                           << u"result[0]"_s;
        QTest::addRow("time as string") << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                                                      "\"result\":[{\"metric\":{},\"value\":[\"1\",\"1\"]}]}}")
                                        << u"result[0]"_s;
        QTest::addRow("time negative") << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                                                     "\"result\":[{\"metric\":{},\"value\":[-5,\"1\"]}]}}")
                                       << u"result[0]"_s;
        QTest::addRow("time absurd") << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                                                   "\"result\":[{\"metric\":{},\"value\":[1e300,\"1\"]}]}}")
                                     << u"result[0]"_s;
        QTest::addRow("value triple") << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                                                    "\"result\":[{\"metric\":{},\"value\":[1,\"1\",\"2\"]}]}}")
                                      << u"result[0]"_s;
        QTest::addRow("label not string") << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                                                        "\"result\":[{\"metric\":{\"a\":1},\"value\":[1,\"1\"]}]}}")
                                          << u"result[0]"_s;
        QTest::addRow("metric missing") << QByteArray(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"value\":[1,\"1\"]}]}}")
                                        << u"result[0]"_s;
        QTest::addRow("second item bad") << QByteArray("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\","
                                                       "\"result\":[{\"metric\":{},\"value\":[1,\"1\"]},7]}}")
                                         << u"result[1]"_s;
        QTest::addRow("deeply nested") << (QByteArray(5000, '[') + QByteArray(5000, ']')) << u"not valid JSON"_s;
        QTest::addRow("nul bytes") << QByteArray("{\"status\":\"succ\0ess\"}", 21) << u"expected status"_s;
    }
    void malformed()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, says);
        const auto r = prometheusjson::parseInstant(json);
        QVERIFY(!r.ok);
        QVERIFY(r.samples.isEmpty());
        QVERIFY2(r.error.contains(says), qPrintable(r.error));
    }

    void hugeVector()
    {
        // 100 000 series parse (the HTTP cap bounds the size before this).
        QByteArray json = "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[";
        for (int i = 0; i < 100'000; ++i) {
            if (i)
                json += ',';
            json += "{\"metric\":{\"pod\":\"p" + QByteArray::number(i) + "\"},\"value\":[1700000000,\""
                + QByteArray::number(i) + "\"]}";
        }
        json += "]}}";
        const auto r = prometheusjson::parseInstant(json);
        QVERIFY(r.ok);
        QCOMPARE(r.samples.size(), 100'000);
        QCOMPARE(r.samples.last().value, 99'999.0);
    }

    void range()
    {
        const auto ok = prometheusjson::parseRange(
            "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{\"service\":\"orders-"
            "db\"},\"values\":[[1700000000,\"0.5\"],[1700000001,\"NaN\"],[1700000002,\"0.7\"]]}]}}");
        QVERIFY2(ok.ok, qPrintable(ok.error));
        QCOMPARE(ok.series.size(), 1);
        QCOMPARE(ok.series[0].points.size(), 2); // NaN left out
        QCOMPARE(ok.series[0].points[1].second, 0.7);
        QCOMPARE(toMillis(ok.series[0].points[1].first), 1700000002000);

        const auto vector
            = prometheusjson::parseRange("{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[]}}");
        QVERIFY(!vector.ok);
        const auto badPoint = prometheusjson::parseRange("{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\","
                                                         "\"result\":[{\"metric\":{},\"values\":[[1,\"1\"],[2]]}]}}");
        QVERIFY(!badPoint.ok);
        QVERIFY2(badPoint.error.contains(u"result[0].values[1]"_s), qPrintable(badPoint.error));
        QVERIFY(badPoint.series.isEmpty());
    }

    void rulesMalformed()
    {
        QVERIFY(!prometheusjson::parseRules("{\"status\":\"success\",\"data\":{}}").ok);
        QVERIFY(!prometheusjson::parseRules("garbage").ok);
        // Rules of odd shapes are skipped, not trusted.
        const auto odd = prometheusjson::parseRules(
            "{\"status\":\"success\",\"data\":{\"groups\":[{\"rules\":[{\"type\":\"recording\",\"name\":1},{\"type\":"
            "\"recording\",\"name\":\"a:b\",\"query\":\"x\"},7]},3]}}");
        QVERIFY(odd.ok);
        QCOMPARE(odd.recording.size(), 1);
        QCOMPARE(odd.recording.value(u"a:b"_s), u"x"_s);
    }

    // Review finding 21: a `timestamp()` answer of +Inf, -Inf or NaN (or out of any
    // sensible range) is no time at all, never an integer cast of one.
    void timesFromSecondsRefuseWhatIsNoTime_data()
    {
        QTest::addColumn<double>("seconds");
        QTest::addColumn<qint64>("millis"); // -1: no time
        QTest::addRow("now-ish") << 1'796'000'000.5 << qint64(1'796'000'000'500);
        QTest::addRow("epoch") << 0.0 << qint64(0);
        QTest::addRow("+Inf") << std::numeric_limits<double>::infinity() << qint64(-1);
        QTest::addRow("-Inf") << -std::numeric_limits<double>::infinity() << qint64(-1);
        QTest::addRow("NaN") << std::numeric_limits<double>::quiet_NaN() << qint64(-1);
        QTest::addRow("before 1970") << -1.0 << qint64(-1);
        QTest::addRow("after 2500") << 1e12 << qint64(-1);
        QTest::addRow("beyond qint64 ms") << 1e300 << qint64(-1);
    }

    void timesFromSecondsRefuseWhatIsNoTime()
    {
        QFETCH(double, seconds);
        QFETCH(qint64, millis);
        const auto t = prometheusjson::timeFromSeconds(seconds);
        QCOMPARE(t.has_value(), millis >= 0);
        if (t)
            QCOMPARE(toMillis(*t), millis);
    }

    void apiErrors()
    {
        QCOMPARE(prometheusjson::apiError(
                     "{\"status\":\"error\",\"errorType\":\"bad_data\",\"error\":\"1:5: parse error\"}"),
            u"bad_data: 1:5: parse error"_s);
        QCOMPARE(prometheusjson::apiError("{\"status\":\"success\"}"), QString());
        QCOMPARE(prometheusjson::apiError("<html>"), QString());
    }
};

QTEST_GUILESS_MAIN(TestPrometheus)
#include "tst_prometheus.moc"
