// The loader turns YAML into a typed Runbook: the seed's example as written, every
// field of the format, defaults, normalized parameter values and source positions.
#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/paramreader.h"
#include "engine/runbook/runbookformat.h"
#include "engine/runbook/runbookloader.h"

#include <QCryptographicHash>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

// The example at the top of docs/runbook-format.md, byte for byte: the seed's runbook with
// `level: 3` (docs/design.md, "The article").
const QByteArray seedExample = R"(name: connection-pool-exhaustion
level: 3
trigger:
  alert: db_connection_pool_utilization > 90%   # metric expression, or an alert name
  confidence: high
steps:
  - name: diagnose
    action: query_metrics
    params: { metric: "db_active_connections", window: "5m" }
  - name: kill_idle
    action: terminate_connections
    params: { state: "idle", older_than: "300s" }
    blast_radius: { max_connections: "15%" }
  - name: verify_recovery
    action: wait_for_metric
    params: { metric: "db_pool_utilization", below: "70%", timeout: "120s" }
  - name: escalate_if_failed
    action: page_oncall
    condition: "verify_recovery.failed"
    params: { severity: "high", context: "Auto-remediation failed" }
)";

// Every key of the format, once.
const QByteArray everyKey = R"(name: full-runbook
description: Uses every key.
level: 2
owner: sre-team
tags: [db, "pool"]
trigger:
  any:
    - cpu_utilization{service="checkout-svc"} > 70%
    - latency_p99_seconds{service="checkout-svc"} >= 800ms
  for: 2m
  confidence: low
cooldown: 5m
circuit_breaker: { failures: 4, window: 20m, cool_off: 1h }
approvals: 2
guards:
  - name: lag
    when: diagnose.replication_lag_seconds > 10s or alert.guard == data_corruption
    reason: Promoting a lagging replica loses writes.
drill: { scenario: traffic-spike-scale, expect: escalated, max_mttr: 2m30s }
services: [checkout-svc, search-svc]
steps:
  - name: diagnose
    action: collect_diagnostics
    params: { checks: [pool, replication] }
  - name: reset
    action: reset_connection_pool
    condition: diagnose.cause == pool_saturation and not diagnose.recent_deploy
    timeout: 90s
    targets: { service: checkout-svc, match: '{zone="eu-west-1a", version!="v2"}', where: "cpu > 95%" }
    blast_radius: { max_pods: 2, max_cycles: 4 }
  - name: scale
    action: scale
    params: { by: -1, min: 3 }
    blast_radius: { max_replicas: "50%" }
  - name: run
    action: run_command
    params: { argv: [systemctl, restart, "app worker"], timeout: 30s }
    blast_radius: { max_hosts: 1 }
)";

LoadResult load(const QByteArray &text)
{
    return loadRunbookText(text, u"test.yaml"_s);
}

// A valid runbook whose `services:` (line 4, its value at column 11) is `value`.
QByteArray withServices(const QByteArray &value)
{
    return "name: t\ntrigger:\n  alert: PodCrashLooping\nservices: " + value
        + "\nsteps:\n  - name: diagnose\n    action: collect_diagnostics\n";
}

QString dump(const QList<Diagnostic> &diagnostics)
{
    QStringList out;
    for (const Diagnostic &d : diagnostics)
        out << d.toString() + u" ("_s + d.hint + u')';
    return out.join(u'\n');
}

} // namespace

class TestRunbookLoader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void seedExampleLoadsExactlyAsWritten()
    {
        const LoadResult result = load(seedExample);
        QVERIFY2(result.diagnostics.isEmpty(), qPrintable(dump(result.diagnostics)));
        QVERIFY(result.runbook);
        const Runbook &r = *result.runbook;
        QCOMPARE(r.name, u"connection-pool-exhaustion"_s);
        QCOMPARE(r.file, u"test.yaml"_s);
        QCOMPARE(r.sourceHash, QCryptographicHash::hash(seedExample, QCryptographicHash::Sha256));
        QCOMPARE(r.level, 3);
        QCOMPARE(r.location.line, 1);

        QCOMPARE(r.trigger.expressions.size(), 1);
        const TriggerExpression &e = r.trigger.expressions.front();
        QVERIFY(r.trigger.isMetric());
        QCOMPARE(e.name, u"db_connection_pool_utilization"_s);
        QCOMPARE(e.comparator, Comparator::Greater);
        QCOMPARE(e.threshold.value, 0.9);
        QCOMPARE(r.trigger.confidence, Confidence::High);
        QCOMPARE(r.trigger.text, u"db_connection_pool_utilization > 90%"_s);
        QCOMPARE(r.trigger.location.line, 4);

        QCOMPARE(r.steps.size(), 4);
        const Step &diagnose = r.steps[0];
        QCOMPARE(diagnose.action, u"query_metrics"_s);
        QCOMPARE(diagnose.param(u"metric"_s)->toText(), u"db_active_connections"_s);
        QCOMPARE(diagnose.param(u"window"_s)->toDuration(), Duration(5min));
        QCOMPARE(diagnose.location.line, 7);
        QCOMPARE(diagnose.location.column, 5);

        const Step &kill = r.steps[1];
        QCOMPARE(kill.name, u"kill_idle"_s);
        QCOMPARE(kill.param(u"state"_s)->toText(), u"idle"_s);
        QCOMPARE(kill.param(u"older_than"_s)->toDuration(), Duration(300s));
        QCOMPARE(kill.param(u"older_than"_s)->text, u"300s"_s);
        QCOMPARE(kill.param(u"older_than"_s)->location.line, 12);
        QCOMPARE(kill.param(u"older_than"_s)->location.column, 42);
        QVERIFY(kill.blastRadius);
        QCOMPARE(kill.blastRadius->dimension, u"connections"_s);
        QCOMPARE(kill.blastRadius->cap.unit, Cap::Unit::Percent);
        QCOMPARE(kill.blastRadius->cap.value, 0.15);
        QCOMPARE(kill.blastRadius->cap.allowed(20), 3);
        QCOMPARE(kill.blastRadius->maxCycles, 0);
        QCOMPARE(kill.blastRadius->location.line, 13);
        // Parameters the seed leaves out carry the catalog's defaults, marked as not written.
        QCOMPARE(kill.param(u"exclude_applications"_s)->value.toStringList(), QStringList());
        QCOMPARE(kill.param(u"exclude_applications"_s)->location.line, 0);
        QVERIFY(!kill.hasParam(u"database"_s));

        const Step &verify = r.steps[2];
        const ParamValue *below = verify.param(u"below"_s);
        QVERIFY(below && below->measure);
        QCOMPARE(below->measure->kind, Measure::Kind::Percent);
        QCOMPARE(below->toNumber(), 0.7);
        QCOMPARE(verify.param(u"timeout"_s)->toDuration(), Duration(120s));
        QVERIFY(!verify.hasParam(u"above"_s)); // one of below | above: no default for the other
        QCOMPARE(verify.param(u"hold"_s)->toDuration(), Duration(0s));

        const Step &escalate = r.steps[3];
        QCOMPARE(escalate.conditionText, u"verify_recovery.failed"_s);
        QVERIFY(escalate.condition);
        QCOMPARE(escalate.condition->references(), (QList<QStringList> { { u"verify_recovery"_s, u"failed"_s } }));
        QCOMPARE(escalate.param(u"severity"_s)->toText(), u"high"_s);
        QCOMPARE(escalate.param(u"attach_diagnostics"_s)->value.toBool(), true);
        QVERIFY(!escalate.blastRadius);

        // Defaults of what the seed does not say.
        QCOMPARE(r.cooldown, Duration(3min));
        QCOMPARE(r.breaker.failures, 3);
        QCOMPARE(r.approvals, 1);
        QVERIFY(!r.drill);
        QVERIFY(r.guards.isEmpty());
    }

    void theArticlesVersionWithoutLevelIsLevelTwo()
    {
        QByteArray text = seedExample;
        text.replace("level: 3\n", "");
        const LoadResult result = load(text);
        QVERIFY2(result.diagnostics.isEmpty(), qPrintable(dump(result.diagnostics)));
        QCOMPARE(result.runbook->level, 2);
    }

    void everyKeyFillsTheModel()
    {
        const LoadResult result = load(everyKey);
        QVERIFY2(result.diagnostics.isEmpty(), qPrintable(dump(result.diagnostics)));
        const Runbook &r = *result.runbook;
        QCOMPARE(r.description, u"Uses every key."_s);
        QCOMPARE(r.owner, u"sre-team"_s);
        QCOMPARE(r.tags, (QStringList { u"db"_s, u"pool"_s }));
        QCOMPARE(r.trigger.mode, Trigger::Mode::Any);
        QCOMPARE(r.trigger.expressions.size(), 2);
        QCOMPARE(r.trigger.expressions[1].threshold.kind, Measure::Kind::Seconds);
        QCOMPARE(r.trigger.expressions[1].threshold.value, 0.8);
        QCOMPARE(r.trigger.expressions[1].matchers.front().value, u"checkout-svc"_s);
        QCOMPARE(r.trigger.forDuration, Duration(2min));
        QCOMPARE(r.trigger.confidence, Confidence::Low);
        QVERIFY(r.trigger.text.contains(u" or "_s));
        QCOMPARE(r.cooldown, Duration(5min));
        QCOMPARE(r.breaker.failures, 4);
        QCOMPARE(r.breaker.window, Duration(20min));
        QCOMPARE(r.breaker.coolOff, Duration(1h));
        QCOMPARE(r.approvals, 2);
        QCOMPARE(r.guards.size(), 1);
        QCOMPARE(r.guards[0].name, u"lag"_s);
        QVERIFY(r.guards[0].when);
        QCOMPARE(r.guards[0].reason, u"Promoting a lagging replica loses writes."_s);
        QCOMPARE(r.guards[0].location.line, 16);
        QVERIFY(r.drill);
        QCOMPARE(r.drill->scenario, u"traffic-spike-scale"_s);
        QCOMPARE(r.drill->expect, u"escalated"_s);
        QCOMPARE(r.drill->maxMttr, Duration(150s));
        QCOMPARE(r.services, (QStringList { u"checkout-svc"_s, u"search-svc"_s }));

        const Step &reset = r.steps[1];
        QCOMPARE(reset.timeout, Duration(90s));
        QCOMPARE(reset.targets.service, u"checkout-svc"_s);
        QCOMPARE(reset.targets.matchers.size(), 2);
        QCOMPARE(reset.targets.matchers[1].op, LabelMatcher::Op::NotEqual);
        QCOMPARE(reset.targets.whereText, u"cpu > 95%"_s);
        QVERIFY(reset.targets.where);
        QCOMPARE(reset.targets.where->literal.toDouble(), 0.95);
        QCOMPARE(reset.blastRadius->cap.unit, Cap::Unit::Absolute);
        QCOMPARE(reset.blastRadius->cap.value, 2.0);
        QCOMPARE(reset.blastRadius->maxCycles, 4);
        QCOMPARE(reset.param(u"drain_timeout"_s)->toDuration(), Duration(30s));

        const Step &scale = r.steps[2];
        QCOMPARE(scale.param(u"by"_s)->value.toLongLong(), -1);
        QCOMPARE(scale.param(u"min"_s)->value.toLongLong(), 3);
        QCOMPARE(scale.param(u"max"_s)->value.toLongLong(), 20); // catalog default
        QVERIFY(!scale.hasParam(u"replicas"_s));
        QCOMPARE(r.steps[3].param(u"argv"_s)->value.toStringList(),
            (QStringList { u"systemctl"_s, u"restart"_s, u"app worker"_s }));
    }

    void formatDefaultsAreTheModelsDefaults()
    {
        // The format table (docs, schema) and the Runbook struct state defaults in two
        // places; they must agree.
        const RunbookFormat &f = RunbookFormat::instance();
        const Runbook runbook;
        const Trigger trigger;
        const BreakerSpec breaker;
        const DrillSpec drill;
        QCOMPARE(f.section(u"runbook").key(u"level")->defaultValue.toInt(), runbook.level);
        QCOMPARE(parseDuration(f.section(u"runbook").key(u"cooldown")->defaultValue), runbook.cooldown);
        QCOMPARE(f.section(u"runbook").key(u"approvals")->defaultValue.toInt(), runbook.approvals);
        QCOMPARE(f.section(u"trigger").key(u"confidence")->defaultValue, confidenceText(trigger.confidence));
        QCOMPARE(parseDuration(f.section(u"trigger").key(u"for")->defaultValue), trigger.forDuration);
        QCOMPARE(f.section(u"circuit_breaker").key(u"failures")->defaultValue.toInt(), breaker.failures);
        QCOMPARE(parseDuration(f.section(u"circuit_breaker").key(u"window")->defaultValue), breaker.window);
        QCOMPARE(parseDuration(f.section(u"circuit_breaker").key(u"cool_off")->defaultValue), breaker.coolOff);
        QCOMPARE(f.section(u"drill").key(u"expect")->defaultValue, drill.expect);
        QCOMPARE(f.section(u"trigger").key(u"confidence")->values, (QStringList { u"low"_s, u"medium"_s, u"high"_s }));
    }

    void catalogDefaultsLoad()
    {
        // Every default in the catalog must itself be a valid value of its parameter,
        // or the loader would silently drop it.
        for (const ActionSpec &a : ActionCatalog::instance().actions()) {
            for (const ParamSpec &p : a.params) {
                if (p.defaultValue.isEmpty())
                    continue;
                QString problem;
                QString hint;
                QVERIFY2(ParamReader::fromText(p, p.defaultValue, &problem, &hint),
                    qPrintable(a.name + u'.' + p.name + u": "_s + problem));
            }
        }
    }

    void paramValuesAreNormalized_data()
    {
        QTest::addColumn<QByteArray>("params");
        QTest::addColumn<QString>("param");
        QTest::addColumn<QVariant>("value");

        QTest::addRow("duration to ms") << QByteArray("{ metric: m, window: 1h30m }") << u"window"_s
                                        << QVariant(qint64(5'400'000));
        QTest::addRow("percent threshold") << QByteArray("{ metric: m, below: 70% }") << u"below"_s << QVariant(0.7);
        QTest::addRow("latency threshold") << QByteArray("{ metric: m, below: 800ms }") << u"below"_s << QVariant(0.8);
        QTest::addRow("plain threshold") << QByteArray("{ metric: m, above: 120 }") << u"above"_s << QVariant(120.0);
        QTest::addRow("metric with matchers") << QByteArray("{ metric: 'cpu{service=\"a\"}', below: 1 }") << u"metric"_s
                                              << QVariant(u"cpu{service=\"a\"}"_s);
        QTest::addRow("promql passes through")
            << QByteArray("{ metric: 'rate(errors[5m])', below: 1 }") << u"metric"_s << QVariant(u"rate(errors[5m])"_s);
    }

    void paramValuesAreNormalized()
    {
        QFETCH(QByteArray, params);
        QFETCH(QString, param);
        QFETCH(QVariant, value);
        QByteArray text
            = "name: t\ntrigger: { alert: X }\nsteps:\n  - name: s\n    action: wait_for_metric\n    params: " + params
            + '\n';
        if (param == u"window"_s)
            text.replace("wait_for_metric", "query_metrics");
        const LoadResult result = load(text);
        QVERIFY2(result.runbook, qPrintable(dump(result.diagnostics)));
        const ParamValue *v = result.runbook->steps.front().param(param);
        QVERIFY(v);
        QCOMPARE(v->value, value);
    }

    void aliasesRepeatNodes()
    {
        const QByteArray text = R"(name: t
trigger: { alert: X }
steps:
  - name: a
    action: wait_for_metric
    params: &goal { metric: cpu, below: 70% }
  - name: b
    action: wait_for_metric
    params: *goal
)";
        const LoadResult result = load(text);
        QVERIFY2(result.runbook, qPrintable(dump(result.diagnostics)));
        QCOMPARE(result.runbook->steps[1].param(u"below"_s)->toNumber(), 0.7);
    }

    void byteOrderMarkAndCrlfKeepPositions()
    {
        QByteArray text = "\xEF\xBB\xBF" + seedExample;
        text.replace("\n", "\r\n");
        text.replace("older_than: \"300s\"", "older_than: \"300 s\"");
        const LoadResult result = load(text);
        QCOMPARE(result.diagnostics.size(), 1);
        QCOMPARE(result.diagnostics[0].code, u"invalid-param"_s);
        QCOMPARE(result.diagnostics[0].line, 12);
        QCOMPARE(result.diagnostics[0].column, 42);
    }

    // Review finding 8: `services:` is an allow-list a runbook checks alert labels against,
    // and alert labels are untrusted. Anything that is not a plain list of exact service
    // names is an error where it is written: a list that silently matched nothing, or
    // everything, would hide the mistake until the night it matters.
    void servicesAllowList_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QStringList>("services"); // loaded; empty when the value is an error
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("hint"); // a part of the hint

        const auto valid = [](const char *name, const QByteArray &value, const QStringList &services) {
            QTest::addRow("%s", name) << value << services << QString() << 0 << 0 << QString();
        };
        const auto invalid
            = [](const char *name, const QByteArray &value, const char *code, int line, int column, const char *hint) {
                  QTest::addRow("%s", name) << value << QStringList {} << QString::fromLatin1(code) << line << column
                                            << QString::fromUtf8(hint);
              };
        valid("flow list", "[checkout-svc, search-svc]", { u"checkout-svc"_s, u"search-svc"_s });
        valid("block list", "\n  - checkout-svc\n  - orders-db", { u"checkout-svc"_s, u"orders-db"_s });
        valid("dotted and numeric", "[payments.internal, \"42\"]", { u"payments.internal"_s, u"42"_s });
        valid("listed twice", "[checkout-svc, checkout-svc]", { u"checkout-svc"_s, u"checkout-svc"_s });
        // malformed
        invalid("one name, not a list", "checkout-svc", "wrong-type", 4, 11, "[checkout-svc]");
        invalid("a mapping", "{ checkout-svc: true }", "wrong-type", 4, 11, "[checkout-svc]");
        invalid("empty value", "", "wrong-type", 4, 1, "leave `services:` out"); // nothing to point at: the key
        invalid("empty list", "[]", "wrong-type", 4, 11, "leave `services:` out");
        invalid("empty string", "[checkout-svc, \"\"]", "invalid-name", 4, 26, "lowercase letters");
        invalid("null item", "[checkout-svc, ~]", "wrong-type", 4, 26, "one service name per item");
        invalid("nested list", "[[checkout-svc]]", "wrong-type", 4, 12, "one service name per item");
        invalid("mapping item", "[{ name: checkout-svc }]", "wrong-type", 4, 12, "one service name per item");
        invalid("upper case", "[Checkout-Svc]", "invalid-name", 4, 12, "`checkout-svc`");
        invalid("spaces", "[\"checkout svc\"]", "invalid-name", 4, 12, "`checkout-svc`");
        // hostile: what a label could carry, or someone hoping for a pattern
        invalid("a glob", "[\"checkout-*\"]", "invalid-name", 4, 12, "exact names");
        invalid("a regular expression", "[\".*\"]", "invalid-name", 4, 12, "exact names");
        invalid("a matcher", "['checkout-svc\"} or {service=~\".+']", "invalid-name", 4, 12, "exact names");
        invalid("a path", "[../kube-system]", "invalid-name", 4, 12, "lowercase letters");
        invalid("a newline", "[\"checkout-svc\\nsearch-svc\"]", "invalid-name", 4, 12, "lowercase letters");
        invalid("a trailing newline", "[\"checkout-svc\\n\"]", "invalid-name", 4, 12, "lowercase letters");
        invalid("254 characters", "[" + QByteArray(254, 'a') + "]", "invalid-name", 4, 12, "at most 253");
        QByteArrayList many;
        for (int i = 0; i < 501; ++i)
            many << "svc-" + QByteArray::number(i);
        invalid("501 services", "[" + many.join(", ") + "]", "out-of-range", 4, 11, "leave `services:` out");
    }
    void servicesAllowList()
    {
        QFETCH(QByteArray, value);
        QFETCH(QStringList, services);
        QFETCH(QString, code);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, hint);
        const LoadResult result = load(withServices(value));
        if (code.isEmpty()) {
            QVERIFY2(result.diagnostics.isEmpty(), qPrintable(dump(result.diagnostics)));
            QCOMPARE(result.runbook->services, services);
            return;
        }
        QVERIFY(!result.runbook);
        QVERIFY2(result.diagnostics.size() == 1, qPrintable(dump(result.diagnostics)));
        const Diagnostic &d = result.diagnostics.front();
        QCOMPARE(d.code, code);
        QCOMPARE(d.line, line);
        QCOMPARE(d.column, column);
        QVERIFY2(d.message.contains(u"`services`"_s), qPrintable(d.message));
        QVERIFY2(d.hint.contains(hint), qPrintable(d.hint));
    }

    void warningsDoNotStopLoading()
    {
        QByteArray text = seedExample;
        text.replace("    params: { metric: \"db_active_connections\", window: \"5m\" }",
            "    params: { metric: \"db_active_connections\", window: \"5m\" }\n    blast_radius: { max_connections: 1 "
            "}");
        const LoadResult result = load(text);
        QCOMPARE(result.diagnostics.size(), 1);
        QVERIFY(!result.diagnostics[0].isError());
        QVERIFY(!result.hasErrors());
        QVERIFY(result.runbook);
    }
};

QTEST_GUILESS_MAIN(TestRunbookLoader)
#include "tst_runbookloader.moc"
