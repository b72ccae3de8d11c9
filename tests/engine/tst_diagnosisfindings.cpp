#include "engine/pipeline/diagnosisfindings.h"
#include "engine/pipeline/facttext.h"
#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/metricunit.h"
#include "engine/runbook/runbookloader.h"

#include <QTest>
#include <limits>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

// A level-2 runbook whose diagnosis reads `metric` over `window`; `compare` is how its
// trigger compares that metric ("> 20%", "> 2"), empty for an alert-name trigger.
QByteArray readingRunbook(const QString &metric, const QString &window, const QString &compare = {})
{
    const QString trigger = compare.isEmpty() ? u"SomethingWrong"_s : u"%1 %2"_s.arg(metric, compare);
    return u"name: reads\nlevel: 2\ntrigger:\n  alert: '%1'\nsteps:\n"
           "  - name: diagnose\n    action: query_metrics\n    params: { metric: '%2', window: %3 }\n"
           "  - name: page\n    action: page_oncall\n"_s.arg(trigger, metric, window)
               .toUtf8();
}

const QByteArray connectionPool = "name: connection-pool-exhaustion\nlevel: 2\n"
                                  "trigger:\n  alert: db_connection_pool_utilization > 90%\n"
                                  "steps:\n"
                                  "  - name: diagnose\n    action: query_metrics\n"
                                  "    params: { metric: db_active_connections, window: 5m }\n"
                                  "  - name: kill_idle\n    action: terminate_connections\n"
                                  "    blast_radius: { max_connections: 15% }\n"
                                  "  - name: verify_recovery\n    action: wait_for_metric\n"
                                  "    params: { metric: db_pool_utilization, below: 70%, timeout: 120s }\n";

const QByteArray checksPool = "name: cpu\nlevel: 2\ntrigger:\n  alert: HighCpu\nsteps:\n"
                              "  - name: diagnose\n    action: collect_diagnostics\n"
                              "  - name: page\n    action: page_oncall\n";

// What query_metrics leaves, with the bookkeeping every step leaves.
QVariantMap reading(const QString &step, double value, double max, std::optional<double> age)
{
    QVariantMap facts { { step + u".value"_s, value }, { step + u".avg"_s, (value + max) / 2 },
        { step + u".max"_s, max }, { step + u".min"_s, 0.001 }, { step + u".succeeded"_s, true },
        { step + u".failed"_s, false }, { step + u".skipped"_s, false }, { step + u".timed_out"_s, false } };
    if (age)
        facts.insert(step + u".age_seconds"_s, *age);
    return facts;
}

QJsonObject evidence(const QString &step, const QString &metric, const QString &window)
{
    return { { u"steps"_s,
        QJsonObject {
            { step, QJsonObject { { u"metric"_s, metric }, { u"window"_s, window }, { u"value"_s, 1 } } } } } };
}

constexpr double inf = std::numeric_limits<double>::infinity();

} // namespace

// How a diagnosis reads to the person deciding: the proposal card, the escalation
// brief and the timeline all say it with diagnosisFindings().
class TestDiagnosisFindings : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void findings_data()
    {
        QTest::addColumn<QByteArray>("runbook"); // empty: the runbook is not known
        QTest::addColumn<QVariantMap>("facts");
        QTest::addColumn<QJsonObject>("diagnostics");
        QTest::addColumn<QStringList>("expected");

        QTest::addRow("ratio metric, by the runbook's percentage")
            << readingRunbook(u"error_rate"_s, u"10m"_s, u"> 20%"_s) << reading(u"diagnose"_s, 0.3169, 0.5134, 5)
            << evidence(u"diagnose"_s, u"error_rate"_s, u"10m"_s)
            << QStringList { u"error rate 31.7% (max 51.3% over 10 min), read 5 s ago"_s };
        QTest::addRow("ratio metric, by its name, runbook unknown")
            << QByteArray() << reading(u"diagnose"_s, 0.42, 0.97, 3)
            << evidence(u"diagnose"_s, u"db_pool_utilization{service=\"orders-db\"}"_s, u"5m"_s)
            << QStringList { u"DB pool utilization 42% (max 97% over 5 min), read 3 s ago"_s };
        QTest::addRow("count metric next to a ratio trigger")
            << connectionPool << reading(u"diagnose"_s, 18, 19, 2)
            << evidence(u"diagnose"_s, u"db_active_connections"_s, u"5m"_s)
            << QStringList { u"DB active connections 18 (max 19 over 5 min), read 2 s ago"_s };
        QTest::addRow("a plain threshold wins over a ratio-like name")
            << readingRunbook(u"traffic_ratio"_s, u"5m"_s, u"> 2"_s) << reading(u"diagnose"_s, 2.5, 3.125, 1)
            << evidence(u"diagnose"_s, u"traffic_ratio"_s, u"5m"_s)
            << QStringList { u"traffic ratio 2.5 (max 3.125 over 5 min), read 1 s ago"_s };
        QTest::addRow("seconds metric") << readingRunbook(u"latency_p99_seconds"_s, u"15m"_s, u"> 1s"_s)
                                        << reading(u"diagnose"_s, 1.681, 2.5, 0.2) << QJsonObject()
                                        << QStringList {
                                               u"latency p99 1.681 s (max 2.5 s over 15 min), read just now"_s
                                           };
        QTest::addRow("missing age") << readingRunbook(u"error_rate"_s, u"10m"_s, u"> 20%"_s)
                                     << reading(u"diagnose"_s, 0.3169, 0.5134, {})
                                     << evidence(u"diagnose"_s, u"error_rate"_s, u"10m"_s)
                                     << QStringList { u"error rate 31.7% (max 51.3% over 10 min)"_s };
        QTest::addRow("no range: the value and its age")
            << readingRunbook(u"error_rate"_s, u"10m"_s, u"> 20%"_s)
            << QVariantMap { { u"diagnose.value"_s, 0.2 }, { u"diagnose.age_seconds"_s, 61 },
                   { u"diagnose.succeeded"_s, true } }
            << QJsonObject() << QStringList { u"error rate 20%, read 1 min 1 s ago"_s };
        QTest::addRow("the window from the runbook when the evidence has none")
            << connectionPool << reading(u"diagnose"_s, 7, 9, 4) << QJsonObject()
            << QStringList { u"DB active connections 7 (max 9 over 5 min), read 4 s ago"_s };
        QTest::addRow("what collect_diagnostics found, in the catalog's order")
            << checksPool
            << QVariantMap { { u"diagnose.recent_deploy"_s, false }, { u"diagnose.traffic_ratio"_s, 2.5 },
                   { u"diagnose.pool_utilization"_s, 0.97 }, { u"diagnose.cause"_s, u"pool_saturation"_s },
                   { u"diagnose.idle_connections"_s, 9 }, { u"diagnose.succeeded"_s, true } }
            << QJsonObject()
            << QStringList { u"likely cause: pool saturation"_s, u"connection pool 97% in use"_s,
                   u"idle connections 9"_s, u"traffic 2.5× its usual level"_s, u"no deploy in the last 30 min"_s };
        QTest::addRow("what steps after the diagnosis left is not the diagnosis") << connectionPool << [] {
            QVariantMap facts = reading(u"diagnose"_s, 18, 19, 2);
            facts.insert({ { u"kill_idle.terminated"_s, 6 }, { u"verify_recovery.value"_s, 0.65 },
                { u"verify_recovery.timed_out"_s, true } });
            return facts;
        }() << QJsonObject() << QStringList { u"DB active connections 18 (max 19 over 5 min), read 2 s ago"_s };
        QTest::addRow("unknown fact: the step name adds nothing")
            << checksPool << QVariantMap { { u"diagnose.pool_size"_s, 20 }, { u"diagnose.failed"_s, false } }
            << QJsonObject() << QStringList { u"pool_size = 20"_s };
        QTest::addRow("unknown fact of two steps keeps their names")
            << QByteArray() << QVariantMap { { u"a.widgets"_s, 1 }, { u"b.widgets"_s, 2.25 } } << QJsonObject()
            << QStringList { u"a.widgets = 1"_s, u"b.widgets = 2.25"_s };
        QTest::addRow("a fact without a step")
            << QByteArray() << QVariantMap { { u"pool"_s, 3 } } << QJsonObject() << QStringList { u"pool = 3"_s };
        QTest::addRow("step outcomes are never shown")
            << connectionPool
            << QVariantMap { { u"diagnose.succeeded"_s, true }, { u"diagnose.failed"_s, false },
                   { u"diagnose.skipped"_s, false }, { u"diagnose.timed_out"_s, false },
                   { u"kill_idle.succeeded"_s, true } }
            << QJsonObject() << QStringList {};
        QTest::addRow("huge values") << readingRunbook(u"error_rate"_s, u"10m"_s, u"> 20%"_s)
                                     << reading(u"diagnose"_s, 1e300, -1e300, 1e300)
                                     << evidence(u"diagnose"_s, u"error_rate"_s, u"10m"_s)
                                     << QStringList {
                                            u"error rate 1e+302% (max -1e+302% over 10 min), read over a year ago"_s
                                        };
        QTest::addRow("not a number and infinity")
            << readingRunbook(u"error_rate"_s, u"10m"_s, u"> 20%"_s) << reading(u"diagnose"_s, qQNaN(), inf, qQNaN())
            << evidence(u"diagnose"_s, u"error_rate"_s, u"10m"_s)
            << QStringList { u"error rate NaN (max ∞ over 10 min)"_s };
        QTest::addRow("a negative age is not said")
            << readingRunbook(u"error_rate"_s, u"10m"_s, u"> 20%"_s) << reading(u"diagnose"_s, 0.1, 0.2, -inf)
            << evidence(u"diagnose"_s, u"error_rate"_s, u"10m"_s)
            << QStringList { u"error rate 10% (max 20% over 10 min)"_s };
        QTest::addRow("hostile text is cut short and kept on one line")
            << checksPool
            << QVariantMap { { u"diagnose.cause"_s, u"<b>leak</b>\n"_s + QString(10'000, u'x') },
                   { u"diagnose."_s + QString(5'000, u'k'), u"v"_s } }
            << QJsonObject()
            << QStringList { u"likely cause: <b>leak</b> "_s + QString(47, u'x') + u'…',
                   QString(59, u'k') + u"… = v"_s };
        const QString promql = u"sum(rate(http_requests_total{code=~\"5..\"}[5m])) by (service, route, method)"_s;
        QTest::addRow("a long PromQL expression is cut short")
            << QByteArray() << reading(u"diagnose"_s, 3, 4, 1) << evidence(u"diagnose"_s, promql, u"5m"_s)
            << QStringList { promql.left(59) + u"… 3 (max 4 over 5 min), read 1 s ago"_s };
    }

    void findings()
    {
        QFETCH(QByteArray, runbook);
        QFETCH(QVariantMap, facts);
        QFETCH(QJsonObject, diagnostics);
        QFETCH(QStringList, expected);
        std::optional<Runbook> loaded;
        if (!runbook.isEmpty()) {
            const LoadResult r = loadRunbookText(runbook, u"test.yaml"_s);
            QVERIFY2(r.runbook, qPrintable(r.diagnostics.isEmpty() ? QString() : r.diagnostics.front().message));
            loaded = r.runbook;
        }
        Incident incident;
        incident.facts = facts;
        incident.diagnostics = diagnostics;
        const QStringList found = diagnosisFindings(incident, loaded ? &*loaded : nullptr);
        QCOMPARE(found, expected);
        for (const QString &line : found)
            QVERIFY2(!line.contains(u"age_seconds"_s), qPrintable(line));
    }

    // Every fact a diagnosis action declares reads as a sentence, not as `key = value`
    // (wait_for_metric verifies; it is never part of a diagnosis).
    void everyDiagnosisFactIsASentence()
    {
        const LoadResult r = loadRunbookText("name: all\nlevel: 2\ntrigger:\n  alert: X\nsteps:\n"
                                             "  - name: reads\n    action: query_metrics\n    params: { metric: m }\n"
                                             "  - name: checks\n    action: collect_diagnostics\n",
            u"all.yaml"_s);
        QVERIFY(r.runbook);
        for (const Step &step : r.runbook->steps) {
            const ActionSpec *spec = ActionCatalog::instance().find(step.action);
            for (const FactSpec &fact : spec->facts) {
                if (step.action == u"query_metrics" && fact.name != u"value")
                    continue; // read together with the value, below
                Incident incident;
                const QVariant value = fact.type == ParamType::Bool ? QVariant(true)
                    : fact.type == ParamType::String                ? QVariant(fact.values.value(0, u"x"_s))
                                                                    : QVariant(3.0);
                incident.facts.insert(step.name + u'.' + fact.name, value);
                const QStringList found = diagnosisFindings(incident, &*r.runbook);
                QCOMPARE(found.size(), 1);
                QVERIFY2(!found.front().contains(u" = "_s), qPrintable(found.front()));
            }
        }
    }

    void metricUnits_data()
    {
        QTest::addColumn<QString>("trigger"); // empty: no runbook
        QTest::addColumn<QString>("metric");
        QTest::addColumn<int>("unit");
        QTest::addRow("compared with a percentage")
            << u"queue_fill > 80%"_s << u"queue_fill"_s << int(Measure::Kind::Percent);
        QTest::addRow("a utilization written as a fraction")
            << u"cpu_utilization > 0.9"_s << u"cpu_utilization"_s << int(Measure::Kind::Percent);
        QTest::addRow("a plain bound above 1 is no fraction")
            << u"request_rate > 1000"_s << u"request_rate"_s << int(Measure::Kind::Plain);
        QTest::addRow("compared in milliseconds") << u"p99 > 300ms"_s << u"p99"_s << int(Measure::Kind::Seconds);
        QTest::addRow("a count") << u"queue_depth > 50"_s << u"queue_depth"_s << int(Measure::Kind::Plain);
        QTest::addRow("another metric's bound says nothing")
            << u"queue_depth > 50"_s << u"error_rate"_s << int(Measure::Kind::Percent);
        QTest::addRow("by name: a rate") << QString() << u"http_5xx_rate"_s << int(Measure::Kind::Percent);
        QTest::addRow("by name: a ratio") << QString() << u"cache_hit_ratio"_s << int(Measure::Kind::Percent);
        QTest::addRow("by name: seconds")
            << QString() << u"db_replication_lag_seconds"_s << int(Measure::Kind::Seconds);
        QTest::addRow("by name: a count") << QString() << u"db_active_connections"_s << int(Measure::Kind::Plain);
        QTest::addRow("recorded: a ratio")
            << QString() << u"service:container_cpu_usage:ratio"_s << int(Measure::Kind::Percent);
        QTest::addRow("recorded: a utilization")
            << QString() << u"service:pg_connection_utilization:ratio"_s << int(Measure::Kind::Percent);
        QTest::addRow("recorded: a quantile of seconds")
            << QString() << u"service:http_server_request_duration_seconds:p99"_s << int(Measure::Kind::Seconds);
        QTest::addRow("recorded: seconds left")
            << QString() << u"instance:probe_ssl_earliest_cert_expiry:remaining_seconds"_s
            << int(Measure::Kind::Seconds);
        QTest::addRow("recorded: a rate of a seconds histogram is no duration")
            << QString() << u"service:http_server_request_duration_seconds:rate1m"_s << int(Measure::Kind::Plain);
        QTest::addRow("recorded: per minute")
            << QString() << u"service:orders_created:per_minute"_s << int(Measure::Kind::Plain);
    }

    void metricUnits()
    {
        QFETCH(QString, trigger);
        QFETCH(QString, metric);
        QFETCH(int, unit);
        std::optional<Runbook> runbook;
        if (!trigger.isEmpty()) {
            runbook = loadRunbookText(
                u"name: u\nlevel: 1\ntrigger:\n  alert: '%1'\nsteps:\n  - name: page\n    action: page_oncall\n"_s
                    .arg(trigger)
                    .toUtf8(),
                u"u.yaml"_s)
                          .runbook;
            QVERIFY(runbook);
        }
        QCOMPARE(int(metricUnit(metric, runbook ? &*runbook : nullptr)), unit);
    }

    void metricNames()
    {
        QCOMPARE(metricNameOf(u"db_pool_utilization{service=\"orders-db\"}"_s), u"db_pool_utilization"_s);
        QCOMPARE(metricNameOf(u"error_rate"_s), u"error_rate"_s);
        QCOMPARE(metricNameOf(u"sum(rate(x[5m]))"_s), QString());
        QCOMPARE(metricNameOf(u"error_rate > 5%"_s), QString());
        QCOMPARE(metricNameOf(QString()), QString());
    }

    void factTextReadsNumbersAsPeopleDo_data()
    {
        QTest::addColumn<QVariant>("value");
        QTest::addColumn<QString>("text");
        QTest::addRow("measurement") << QVariant(0.3045828217986316) << u"0.3046"_s;
        QTest::addRow("whole number") << QVariant(1796180436090.0) << u"1796180436090"_s;
        QTest::addRow("text") << QVariant(u"leak"_s) << u"leak"_s;
        QTest::addRow("not a number") << QVariant(qQNaN()) << u"NaN"_s;
        QTest::addRow("infinity") << QVariant(inf) << u"∞"_s;
        QTest::addRow("minus infinity") << QVariant(-inf) << u"-∞"_s;
    }

    void factTextReadsNumbersAsPeopleDo()
    {
        QFETCH(QVariant, value);
        QFETCH(QString, text);
        QCOMPARE(factText(value), text);
    }
};

QTEST_GUILESS_MAIN(TestDiagnosisFindings)
#include "tst_diagnosisfindings.moc"
