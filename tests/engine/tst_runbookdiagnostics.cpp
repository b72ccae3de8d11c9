// Every diagnostic code the loader has, each with a bad runbook, checking where it
// points (line and column) and that it says what to do. The last test fails when a
// code in engine/runbook/diagnosticcode.cpp has no row here.
#include "engine/rehearsal/drillschedule.h"
#include "engine/runbook/diagnosticcode.h"
#include "engine/runbook/runbookloader.h"
#include "tests/engine/diagnosticsearch.h"

#include <QSet>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::test;

namespace {

QByteArray lines(std::initializer_list<const char *> text)
{
    QByteArray out;
    for (const char *line : text)
        out += QByteArray(line) + '\n';
    return out;
}

// A valid level 2 runbook with `extra` steps after its diagnose step.
QByteArray withSteps(
    std::initializer_list<const char *> extra, const char *head = "name: t\ntrigger:\n  alert: HighCpu\n")
{
    QByteArray out = QByteArray(head) + "steps:\n  - name: diagnose\n    action: collect_diagnostics\n";
    for (const char *line : extra)
        out += QByteArray(line) + '\n';
    return out;
}

QByteArray aliasBomb()
{
    QByteArray out = "a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol]\n";
    for (char c = 'b'; c <= 'i'; ++c) {
        const char prev = static_cast<char>(c - 1);
        out += QByteArray(1, c) + ": &" + QByteArray(1, c) + " [";
        for (int i = 0; i < 9; ++i)
            out += (i ? ", *" : "*") + QByteArray(1, prev);
        out += "]\n";
    }
    return out;
}

QSet<QString> &covered()
{
    static QSet<QString> codes;
    return codes;
}

} // namespace

class TestRunbookDiagnostics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void codesAreInTheirOwnOrder()
    {
        // diagnosticCodeInfo() indexes the table by the enum's value.
        const auto &codes = diagnosticCodes();
        QSet<QString> names;
        for (qsizetype i = 0; i < codes.size(); ++i) {
            QCOMPARE(static_cast<qsizetype>(codes[i].code), i);
            QVERIFY2(!names.contains(codes[i].name), qPrintable(codes[i].name));
            names.insert(codes[i].name);
            QVERIFY(!codes[i].summary.isEmpty());
        }
    }

    void eachCode_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("hint"); // a part of the hint, when it matters

        const auto row = [](const char *name, const QByteArray &text, const char *code, int line, int column,
                             const char *hint = "") {
            QTest::addRow("%s", name) << text << QString::fromLatin1(code) << line << column << QString::fromUtf8(hint);
        };
        // the bytes and the YAML
        row("empty", QByteArray(), "empty-file", 1, 1);
        row("comments only", "# nothing here\n\n", "empty-file", 1, 1);
        row("invalid utf-8", "name: t\xff\n", "invalid-utf8", 1, 8, "UTF-8");
        row("overlong utf-8", "name: \xc0\xaf\n", "invalid-utf8", 1, 7);
        row("utf-16 surrogate", "name: \xed\xa0\x80\n", "invalid-utf8", 1, 7);
        row("control character", "name: t\x01\n", "control-character", 1, 8);
        row("tab indent", lines({ "name: t", "trigger:", "\talert: HighCpu" }), "tab-indent", 3, 1, "spaces");
        row("deep flow", "a: " + QByteArray(40, '[') + '\n', "too-deep", 1, 35);
        row(
            "deep block",
            [] {
                QByteArray out;
                for (int i = 0; i < 40; ++i)
                    out += QByteArray(i * 2, ' ') + "k" + QByteArray::number(i) + ":\n";
                return out;
            }(),
            "too-deep", 33, 65);
        row("unclosed flow", lines({ "name: t", "steps: [a, b" }), "yaml-syntax", 3, 1, "not closed");
        row("bad indentation", lines({ "name: t", "trigger:", "  alert: X", " confidence: high" }), "yaml-syntax", 4, 2,
            "indentation");
        row("two documents", lines({ "name: a", "---", "name: b" }), "multiple-documents", 2, 1);
        row("duplicated action", withSteps({ "    action: page_oncall" }), "duplicate-key", 7, 5, "keep one");
        row("recursive alias", "a: &x [1, *x]\n", "recursive-alias", 1, 11);
        row("alias bomb", aliasBomb(), "alias-bomb", 2, 8);
        row(
            "too many problems",
            [] {
                QByteArray out = "name: t\n";
                for (int i = 0; i < 300; ++i)
                    out += "k" + QByteArray::number(i) + ": 1\n";
                return out;
            }(),
            "too-many-problems", 202, 1);
        row("file too large", "name: t\ndescription: " + QByteArray(1024 * 1024, 'x') + '\n', "file-too-large", 1, 1);
        // the shape of the runbook
        row("unknown key", withSteps({}, "name: t\nlevl: 2\ntrigger:\n  alert: HighCpu\n"), "unknown-key", 2, 1,
            "did you mean `level`?");
        row("unknown step key", withSteps({ "    condtion: alert.x == y" }), "unknown-key", 7, 5,
            "did you mean `condition`?");
        row("missing trigger", withSteps({}, "name: t\n"), "missing-key", 1, 1, "trigger");
        row("no trigger form", withSteps({}, "name: t\ntrigger:\n  confidence: high\n"), "missing-key", 3, 3, "alert");
        row("alert and any", withSteps({}, "name: t\ntrigger:\n  alert: HighCpu\n  any: [cpu > 1]\n"),
            "conflicting-keys", 3, 3);
        row("steps not a list", lines({ "name: t", "trigger: { alert: HighCpu }", "steps: diagnose" }), "wrong-type", 3,
            8);
        row("runbook is a list", "- name: t\n", "wrong-type", 1, 1);
        row("level out of range", withSteps({}, "name: t\nlevel: 7\ntrigger:\n  alert: HighCpu\n"), "out-of-range", 2,
            8, "0 to 4");
        row("name with spaces", withSteps({}, "name: Pool Reset\ntrigger:\n  alert: HighCpu\n"), "invalid-name", 1, 7,
            "pool_reset");
        row("cooldown in words", withSteps({}, "name: t\ncooldown: 5 minutes\ntrigger:\n  alert: HighCpu\n"),
            "invalid-duration", 2, 11, "5m");
        row("confidence typo", withSteps({}, "name: t\ntrigger:\n  alert: HighCpu\n  confidence: hihg\n"),
            "invalid-choice", 4, 15, "did you mean `high`?");
        row("no steps", lines({ "name: t", "trigger: { alert: HighCpu }", "steps: []" }), "no-steps", 3, 8);
        row("bad comparator", withSteps({}, "name: t\ntrigger:\n  alert: cpu >> 90%\n"), "invalid-trigger", 3, 14);
        row("symptom is a metric", withSteps({}, "name: t\ntrigger:\n  alert: HighCpu\nsymptoms:\n  - cpu > 90%\n"),
            "invalid-trigger", 5, 5, "alert selector");
        row("symptom selector broken",
            withSteps({}, "name: t\ntrigger:\n  alert: HighCpu\nsymptoms:\n  - 'HighErrorRate{service=x}'\n"),
            "invalid-trigger", 5, 28, "HighErrorRate");
        row("symptoms not a list", withSteps({}, "name: t\ntrigger:\n  alert: HighCpu\nsymptoms: HighErrorRate\n"),
            "wrong-type", 4, 11);
        row("group_by not a list", withSteps({}, "name: t\ntrigger:\n  alert: HighCpu\ngroup_by: region\n"),
            "wrong-type", 4, 11);
        row("page_waiting_after in words",
            withSteps({}, "name: t\ntrigger:\n  alert: HighCpu\npage_waiting_after: soon\n"), "invalid-duration", 4,
            21);
        row("bad label matcher", withSteps({}, "name: t\ntrigger:\n  alert: 'HighCpu{service=checkout}'\n"),
            "invalid-trigger", 3, 27, "label=");
        row("alert in any", withSteps({}, "name: t\ntrigger:\n  any: [HighCpu]\n"), "invalid-trigger", 3, 9,
            "comparison");
        // actions and parameters
        row("unknown action", withSteps({ "  - name: r", "    action: restart_pod" }), "unknown-action", 8, 13,
            "did you mean `restart_pods`?");
        row("never-tier action",
            withSteps({ "  - name: t", "    action: terminate_host", "    blast_radius: { max_hosts: 1 }" }),
            "never-automate", 8, 13, "isolate_host");
        row("approve-tier at level 3",
            withSteps({ "  - name: f", "    action: failover_database", "    blast_radius: { max_databases: 1 }",
                          "  - name: page", "    action: page_oncall", "    condition: f.failed" },
                "name: t\nlevel: 3\ntrigger:\n  alert: DatabasePrimaryDown\n  confidence: high\n"),
            "waits-for-approval", 10, 13, "level 2");
        row("unknown param",
            withSteps({ "  - name: q", "    action: query_metrics", "    params: { metric: cpu, windw: 5m }" }),
            "unknown-param", 9, 28, "did you mean `window`?");
        row("missing param", withSteps({ "  - name: q", "    action: query_metrics" }), "missing-param", 7, 5,
            "metric");
        row("below and above",
            withSteps(
                { "  - name: v", "    action: wait_for_metric", "    params: { metric: cpu, below: 1, above: 2 }" }),
            "one-of-params", 9, 13, "exactly one");
        row("duration param in words",
            withSteps({ "  - name: k", "    action: terminate_connections",
                "    params: { older_than: \"300 seconds\" }", "    blast_radius: { max_connections: \"15%\" }" }),
            "invalid-param", 9, 27, "300s");
        row("enum param typo",
            withSteps({ "  - name: k", "    action: terminate_connections", "    params: { state: idel }",
                "    blast_radius: { max_connections: \"15%\" }" }),
            "invalid-param", 9, 22, "did you mean `idle`?");
        row("check that does not exist", withSteps({ "    params: { checks: [pool, memry] }" }), "invalid-param", 7, 23,
            "did you mean `memory`?");
        row("metric with comparison",
            withSteps(
                { "  - name: v", "    action: wait_for_metric", "    params: { metric: \"cpu > 90%\", below: 1 }" }),
            "invalid-param", 9, 23, "below");
        row("flag not boolean",
            withSteps({ "  - name: r", "    action: restart_pods", "    params: { only_unhealthy: yes }",
                "    blast_radius: { max_pods: 1 }" }),
            "invalid-param", 9, 31, "true or false");
        // blast radius and targets
        row("no blast radius", withSteps({ "  - name: k", "    action: terminate_connections" }),
            "missing-blast-radius", 7, 5, "max_connections");
        row("blast radius without cap",
            withSteps({ "  - name: k", "    action: terminate_connections", "    blast_radius: { max_cycles: 2 }" }),
            "missing-blast-radius", 9, 19, "max_connections");
        row("wrong dimension",
            withSteps({ "  - name: k", "    action: terminate_connections", "    blast_radius: { max_pods: 2 }" }),
            "wrong-dimension", 9, 21, "max_connections");
        row("cap over 100%",
            withSteps({ "  - name: k", "    action: terminate_connections",
                "    blast_radius: { max_connections: \"150%\" }" }),
            "invalid-cap", 9, 38);
        row("cap of zero",
            withSteps({ "  - name: r", "    action: restart_pods", "    blast_radius: { max_pods: 0 }" }),
            "invalid-cap", 9, 31);
        row("needless blast radius", withSteps({ "    blast_radius: { max_pods: 2 }" }), "needless-blast-radius", 7, 19,
            "remove");
        row("unquoted label value",
            withSteps({ "  - name: r", "    action: restart_pods", "    blast_radius: { max_pods: 1 }",
                "    targets: { match: '{zone=a}' }" }),
            "invalid-selector", 10, 30, "quoted");
        row("selector with a name",
            withSteps({ "  - name: r", "    action: restart_pods", "    blast_radius: { max_pods: 1 }",
                "    targets: { match: 'pods{zone=\"a\"}' }" }),
            "invalid-selector", 10, 24);
        // conditions
        row("dangling and",
            withSteps({ "  - name: p", "    action: page_oncall", "    condition: diagnose.failed and" }),
            "invalid-condition", 9, 35);
        row("bad where",
            withSteps({ "  - name: r", "    action: restart_pods", "    blast_radius: { max_pods: 1 }",
                "    targets: { where: \"cpu >\" }" }),
            "invalid-condition", 10, 29);
        row("misspelled step", withSteps({ "  - name: p", "    action: page_oncall", "    condition: diagnos.failed" }),
            "unknown-step", 9, 16, "did you mean `diagnose`?");
        row("later step",
            withSteps({ "  - name: p", "    action: page_oncall", "    condition: \"diagnose.failed or v.failed\"",
                "  - name: v", "    action: wait_for_metric", "    params: { metric: cpu, below: 1 }" }),
            "forward-reference", 9, 36, "earlier");
        row("own step", withSteps({ "  - name: p", "    action: page_oncall", "    condition: p.failed" }),
            "forward-reference", 9, 16);
        row("misspelled outcome",
            withSteps({ "  - name: p", "    action: page_oncall", "    condition: diagnose.faild" }), "unknown-outcome",
            9, 16, "did you mean `failed`?");
        row("fact of another action",
            withSteps({ "  - name: p", "    action: page_oncall", "    condition: diagnose.terminated > 3" }),
            "unknown-outcome", 9, 16);
        row("step alone", withSteps({ "  - name: p", "    action: page_oncall", "    condition: diagnose" }),
            "invalid-reference", 9, 16);
        row("alert too deep",
            withSteps({ "  - name: p", "    action: page_oncall", "    condition: alert.labels.guard == x" }),
            "invalid-reference", 9, 16, "alert.guard");
        row("cause typo",
            withSteps({ "  - name: p", "    action: page_oncall", "    condition: diagnose.cause == leek" }),
            "unknown-fact-value", 9, 16, "did you mean `leak`?");
        row("number fact and word",
            withSteps({ "  - name: p", "    action: page_oncall", "    condition: diagnose.pool_utilization > high" }),
            "fact-type-mismatch", 9, 16);
        row("outcome and number",
            withSteps({ "  - name: p", "    action: page_oncall", "    condition: diagnose.failed == 3" }),
            "fact-type-mismatch", 9, 16);
        row("guard reads a misspelled fact",
            withSteps({},
                "name: t\nguards:\n  - name: lag\n    when: diagnose.replication_lag > 10s\n    reason: "
                "lagging\ntrigger:\n  alert: X\n"),
            "unknown-outcome", 4, 11, "did you mean `replication_lag_seconds`?");
        // policy
        row("level 3 without escalation",
            withSteps({}, "name: t\nlevel: 3\ntrigger:\n  alert: HighCpu\n  confidence: high\n"), "no-escalation", 2, 1,
            "page_oncall");
        row("level 3 at medium confidence",
            withSteps({ "  - name: p", "    action: page_oncall" }, "name: t\nlevel: 3\ntrigger:\n  alert: HighCpu\n"),
            "needs-high-confidence", 4, 3, "confidence: high");
        row("level 4 at low confidence",
            withSteps({ "  - name: p", "    action: page_oncall" },
                "name: t\nlevel: 4\ntrigger:\n  alert: HighCpu\n  confidence: low\n"),
            "needs-high-confidence", 5, 15);
        row("duplicate step",
            withSteps({ "  - name: diagnose", "    action: query_metrics", "    params: { metric: cpu }" }),
            "duplicate-step", 7, 11, "its own name");
        row("step named alert", withSteps({ "  - name: alert", "    action: page_oncall" }), "invalid-name", 7, 11);
    }

    void eachCode()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, code);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, hint);
        const LoadResult result = loadRunbookText(text, u"bad.yaml"_s);
        const Diagnostic *d = findDiagnostic(result.diagnostics, code);
        QVERIFY2(d, qPrintable(u"no %1 among:\n"_s.arg(code) + dumpDiagnostics(result.diagnostics)));
        QCOMPARE(d->file, u"bad.yaml"_s);
        QCOMPARE(d->line, line);
        QCOMPARE(d->column, column);
        QVERIFY2(!d->message.isEmpty() && !d->hint.isEmpty(), qPrintable(d->toString()));
        QVERIFY2(d->hint.contains(hint), qPrintable(d->hint));
        bool known = false;
        for (const auto &info : diagnosticCodes()) {
            if (info.name == code) {
                QCOMPARE(d->severity, info.severity);
                known = true;
            }
        }
        QVERIFY(known);
        // An error anywhere means no runbook; warnings alone still load.
        QCOMPARE(result.runbook.has_value(), !result.hasErrors());
        if (d->isError())
            QVERIFY(!result.runbook);
        covered().insert(code);
    }

    void ioErrorNamesThePath()
    {
        const LoadResult missing = loadRunbookFile(u"/nonexistent/runbook.yaml"_s);
        QCOMPARE(missing.diagnostics.size(), 1);
        QCOMPARE(missing.diagnostics[0].code, u"io-error"_s);
        QCOMPARE(missing.diagnostics[0].file, u"/nonexistent/runbook.yaml"_s);
        QVERIFY(!missing.runbook);
        const LibraryResult library = loadRunbookLibrary({ u"/nonexistent/folder"_s });
        QCOMPARE(library.diagnostics.size(), 1);
        QCOMPARE(library.diagnostics[0].code, u"io-error"_s);
        covered().insert(u"io-error"_s);
    }

    void duplicateRunbookNamesAcrossFiles()
    {
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QByteArray text = withSteps({}, "# a comment first\nname: same\ntrigger:\n  alert: HighCpu\n");
        for (const QString &file : { u"a.yaml"_s, u"sub/b.yml"_s }) {
            QVERIFY(QDir(dir.path()).mkpath(QFileInfo(dir.filePath(file)).path()));
            QFile f(dir.filePath(file));
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(text);
        }
        const LibraryResult library = loadRunbookLibrary({ dir.path() });
        QCOMPARE(library.files.size(), 2);
        QCOMPARE(library.runbooks.size(), 2);
        QCOMPARE(library.diagnostics.size(), 1);
        const Diagnostic &d = library.diagnostics[0];
        QCOMPARE(d.code, u"duplicate-runbook"_s);
        QCOMPARE(d.file, QDir::cleanPath(dir.filePath(u"sub/b.yml"_s)));
        QCOMPARE(d.line, 2); // the `name:` key, after the comment
        QCOMPARE(d.column, 1);
        QVERIFY2(d.message.contains(QDir::cleanPath(dir.filePath(u"a.yaml"_s)) + u":2"_s), qPrintable(d.message));
        covered().insert(d.code);
    }

    void everyProblemIsReportedNotJustTheFirst()
    {
        const QByteArray text = lines({ "name: t", "levl: 2", "trigger:", "  alert: HighCpu", "  confidence: sure",
            "steps:", "  - name: a", "    action: restart_pod", "  - name: b", "    action: query_metrics",
            "    params: { metric: cpu, windw: 5m }" });
        const LoadResult result = loadRunbookText(text, u"x.yaml"_s);
        QStringList codes;
        for (const Diagnostic &d : result.diagnostics)
            codes << d.code;
        QCOMPARE(
            codes, (QStringList { u"unknown-key"_s, u"invalid-choice"_s, u"unknown-action"_s, u"unknown-param"_s }));
    }

    void drillOverdueWithAHistory()
    {
        // `antibodyctl lint` with a drill history (engine/rehearsal/drillschedule).
        const LoadResult r = loadRunbookText(
            withSteps({}, "name: t\ntrigger:\n  alert: HighCpu\n") + "drill: { scenario: cert-expiry }\n", u"t.yaml"_s);
        QVERIFY(r.runbook);
        const TimePoint now = fromMillis(1'780'000'000'000);
        const auto stale = DrillResult { u"t"_s, u"cert-expiry"_s, true, u"resolved"_s, std::nullopt,
            now - std::chrono::days(31), u"ok"_s };
        const auto d = DrillSchedule::overdue(*r.runbook, stale, now);
        QVERIFY(d);
        QCOMPARE(d->code, u"drill-overdue"_s);
        QCOMPARE(d->severity, Diagnostic::Severity::Warning);
        QCOMPARE(d->line, r.runbook->drill->location.line);
        QVERIFY2(d->hint.contains(u"antibodyctl drill t.yaml"_s), qPrintable(d->hint));
        QVERIFY(!DrillSchedule::overdue(*r.runbook,
            DrillResult { u"t"_s, u"cert-expiry"_s, true, u"resolved"_s, std::nullopt, now, u"ok"_s }, now));
        covered().insert(d->code);
    }

    void everyCodeIsCovered()
    {
        QStringList missing;
        for (const auto &info : diagnosticCodes()) {
            if (!covered().contains(info.name))
                missing << info.name;
        }
        QVERIFY2(missing.isEmpty(), qPrintable(u"codes without a test row: "_s + missing.join(u", "_s)));
    }
};

QTEST_GUILESS_MAIN(TestRunbookDiagnostics)
#include "tst_runbookdiagnostics.moc"
