#include "engine/runbook/actioncatalog.h"
#include "models/editor/actionhelp.h"
#include "models/editor/runbookcompletion.h"
#include "models/editor/textlocator.h"
#include "models/editor/yamloutline.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

// The editor's text math, without a screen: loader positions <-> offsets, what to
// underline, and where the cursor is in a runbook that is being typed.
class TestEditorText : public QObject
{
    Q_OBJECT
private:
    // `|` marks the cursor; returns the text without it and the cursor's offset.
    static std::pair<QString, qsizetype> cursor(QString marked)
    {
        const qsizetype at = marked.indexOf(u'|');
        Q_ASSERT(at >= 0);
        marked.remove(at, 1);
        return { marked, at };
    }

private Q_SLOTS:
    void locatesLoaderPositions_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<qsizetype>("offset");
        const QString plain = u"name: x\nlevel: 3\nsteps:\n"_s;
        QTest::addRow("first character") << plain << 1 << 1 << qsizetype(0);
        QTest::addRow("second line") << plain << 2 << 8 << qsizetype(15);
        QTest::addRow("column past the line's end stops at its end") << plain << 2 << 40 << qsizetype(16);
        QTest::addRow("line past the end is the text's end") << plain << 9 << 1 << plain.size();
        // "é" is one character and one UTF-16 unit; the emoji one character and two units.
        QTest::addRow("accented") << u"a: é\nb: x"_s << 1 << 5 << qsizetype(4);
        QTest::addRow("after an emoji, columns count characters")
            << u"context: \U0001F525 hot: x\nz"_s << 1 << 12 << qsizetype(12);
        QTest::addRow("CRLF line ends") << u"a: 1\r\nbb: 2\r\n"_s << 2 << 3 << qsizetype(8);
    }
    void locatesLoaderPositions()
    {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(qsizetype, offset);
        const TextLocator locator(text);
        QCOMPARE(locator.offsetOf(line, column), offset);
        if (line <= locator.lineCount() && column <= locator.lineText(line).size()) {
            const SourceLocation back = locator.locationOf(offset);
            QCOMPARE(back.line, line);
            QCOMPARE(back.column, column);
        }
    }

    void underlinesTheTokenAtAnError_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("underlined");
        QTest::addRow("a misspelt key") << u"name: x\n  acton: restart_pods\n"_s << 2 << 3 << u"acton"_s;
        QTest::addRow("a value") << u"level: 7\n"_s << 1 << 8 << u"7"_s;
        QTest::addRow("a percentage") << u"cap: 150% # no\n"_s << 1 << 6 << u"150%"_s;
        QTest::addRow("a quoted string") << u"metric: \"db_pool{x=\\\"a\\\"}\" \n"_s << 1 << 9
                                         << u"\"db_pool{x=\\\"a\\\"}\""_s;
        QTest::addRow("a flow mapping") << u"params: { a: 1 }  \n"_s << 1 << 9 << u"{ a: 1 }"_s;
        QTest::addRow("a missing value at the line's end") << u"action:\n"_s << 1 << 8 << u":"_s;
        QTest::addRow("past the end of the line") << u"trigger:  \n"_s << 1 << 30 << u":"_s;
        QTest::addRow("an empty line shows nothing") << u"a: 1\n\nb: 2"_s << 2 << 1 << QString();
    }
    void underlinesTheTokenAtAnError()
    {
        QFETCH(QString, text);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, underlined);
        const TextLocator locator(text);
        const auto span = locator.underline(locator.offsetOf(line, column));
        QCOMPARE(text.mid(span.start, span.length), underlined);
    }

    void placesTheCursor_data()
    {
        QTest::addColumn<QString>("marked");
        QTest::addColumn<int>("kind");
        QTest::addColumn<QStringList>("path");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("prefix");
        const int Key = int(YamlPlace::Kind::Key);
        const int Value = int(YamlPlace::Kind::Value);
        const int None = int(YamlPlace::Kind::None);
        const QString head = u"name: pool\nlevel: 3\ntrigger:\n  alert: HighCpu\nsteps:\n"_s;
        QTest::addRow("top-level key") << u"name: x\nlev|"_s << Key << QStringList {} << QString() << u"lev"_s;
        QTest::addRow("empty top-level line") << u"name: x\n|"_s << Key << QStringList {} << QString() << QString();
        QTest::addRow("trigger key") << head.left(30) + u"  conf|"_s << Key << QStringList { u"trigger"_s } << QString()
                                     << u"conf"_s;
        QTest::addRow("new step item") << head + u"  - |"_s << Key << QStringList { u"steps"_s, u"-"_s } << QString()
                                       << QString();
        QTest::addRow("second key of a step")
            << head + u"  - name: a\n    ac|"_s << Key << QStringList { u"steps"_s, u"-"_s } << QString() << u"ac"_s;
        QTest::addRow("compact list under steps")
            << head + u"- name: a\n  ac|"_s << Key << QStringList { u"steps"_s, u"-"_s } << QString() << u"ac"_s;
        QTest::addRow("block parameters") << head + u"  - name: a\n    action: scale\n    params:\n      rep|"_s << Key
                                          << QStringList { u"steps"_s, u"-"_s, u"params"_s } << QString() << u"rep"_s;
        QTest::addRow("params on the item's line")
            << head + u"  - params:\n      st|"_s << Key << QStringList { u"steps"_s, u"-"_s, u"params"_s } << QString()
            << u"st"_s;
        QTest::addRow("flow parameters, a key")
            << head + u"  - name: a\n    params: { state: idle, ol|"_s << Key
            << QStringList { u"steps"_s, u"-"_s, u"params"_s } << QString() << u"ol"_s;
        QTest::addRow("flow parameters, a value")
            << head + u"  - name: a\n    params: { state: id|"_s << Value
            << QStringList { u"steps"_s, u"-"_s, u"params"_s } << u"state"_s << u"id"_s;
        QTest::addRow("the action's value") << head + u"  - name: a\n    action: term|"_s << Value
                                            << QStringList { u"steps"_s, u"-"_s } << u"action"_s << u"term"_s;
        QTest::addRow("action on the item's line")
            << head + u"  - action: |"_s << Value << QStringList { u"steps"_s, u"-"_s } << u"action"_s << QString();
        QTest::addRow("a list element") << head + u"  - params: { checks: [pool, de|"_s << Value
                                        << QStringList { u"steps"_s, u"-"_s, u"params"_s } << u"checks"_s << u"de"_s;
        QTest::addRow("blast radius in flow")
            << head + u"  - blast_radius: { max_|"_s << Key << QStringList { u"steps"_s, u"-"_s, u"blast_radius"_s }
            << QString() << u"max_"_s;
        QTest::addRow("a drill key after a step") << head + u"  - name: a\n    action: scale\ndrill:\n  exp|"_s << Key
                                                  << QStringList { u"drill"_s } << QString() << u"exp"_s;
        QTest::addRow("comment lines are skipped") << head + u"  - name: a\n# a note\n\n    tim|"_s << Key
                                                   << QStringList { u"steps"_s, u"-"_s } << QString() << u"tim"_s;
        QTest::addRow("in a comment") << u"name: x # a comm|"_s << None << QStringList {} << QString() << QString();
        QTest::addRow("in a quoted string")
            << u"description: \"what it|"_s << None << QStringList {} << QString() << QString();
    }
    void placesTheCursor()
    {
        QFETCH(QString, marked);
        QFETCH(int, kind);
        QFETCH(QStringList, path);
        QFETCH(QString, key);
        QFETCH(QString, prefix);
        const auto [text, at] = cursor(marked);
        const YamlPlace place = YamlOutline(text).placeAt(at);
        QCOMPARE(int(place.kind), kind);
        if (place.kind == YamlPlace::Kind::None)
            return;
        QCOMPARE(place.path, path);
        QCOMPARE(place.key, key);
        QCOMPARE(place.prefix, prefix);
        QCOMPARE(place.prefixStart, at - prefix.size());
    }

    void knowsTheKeysAMappingHas()
    {
        const auto [text, at] = cursor(
            u"name: x\nsteps:\n  - name: a\n    action: scale\n    |\n    timeout: 5m\n  - name: b\nlevel: 2\n"_s);
        const YamlPlace place = YamlOutline(text).placeAt(at);
        QCOMPARE(place.kind, YamlPlace::Kind::Key);
        QStringList keys = place.presentKeys;
        keys.sort();
        QCOMPARE(keys, (QStringList { u"action"_s, u"name"_s, u"timeout"_s }));
        const auto [flow, fat] = cursor(u"steps:\n  - params: { state: idle, older_than: 5m, |"_s);
        QCOMPARE(YamlOutline(flow).placeAt(fat).presentKeys, (QStringList { u"state"_s, u"older_than"_s }));
    }

    void findsTheStepUnderTheCursor_data()
    {
        QTest::addColumn<QString>("marked");
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("action");
        QTest::addColumn<int>("firstLine");
        const QString text = u"name: pool\n" // 1
                             u"trigger:\n" // 2
                             u"  alert: HighCpu|T\n" // 3
                             u"steps:\n" // 4
                             u"  - name: diagnose|A\n" // 5
                             u"    action: query_metrics\n" // 6
                             u"    params:\n" // 7
                             u"      checks:\n" // 8
                             u"        - pool|B\n" // 9
                             u"\n" // 10
                             u"  - name: \"kill\"\n" // 11
                             u"    params: { state: idle|C }\n" // 12
                             u"    action: terminate_connections\n" // 13
                             u"  - { name: page, action: page_oncall|D }\n" // 14
                             u"drill: { scenario: x|E }\n"_s; // 15
        const auto pick = [&](QChar mark) {
            QString t = text;
            for (const QChar m : { u'T', u'A', u'B', u'C', u'D', u'E' }) {
                if (m != mark)
                    t.remove(u'|' + QString(m));
            }
            return t.replace(u'|' + QString(mark), u"|"_s);
        };
        QTest::addRow("in the trigger") << pick(u'T') << QString() << QString() << 0;
        QTest::addRow("on the item's first line") << pick(u'A') << u"diagnose"_s << u"query_metrics"_s << 5;
        QTest::addRow("in a nested list") << pick(u'B') << u"diagnose"_s << u"query_metrics"_s << 5;
        QTest::addRow("action after params") << pick(u'C') << u"kill"_s << u"terminate_connections"_s << 11;
        QTest::addRow("a flow step") << pick(u'D') << u"page"_s << u"page_oncall"_s << 14;
        QTest::addRow("after the steps") << pick(u'E') << QString() << QString() << 0;
    }
    void findsTheStepUnderTheCursor()
    {
        QFETCH(QString, marked);
        QFETCH(QString, name);
        QFETCH(QString, action);
        QFETCH(int, firstLine);
        const auto [text, at] = cursor(marked);
        const YamlStepSpan span = YamlOutline(text).stepAt(at);
        QCOMPARE(span.firstLine, firstLine);
        QCOMPARE(span.name, name);
        QCOMPARE(span.action, action);
    }

    void listsEverySteps()
    {
        const QString text
            = u"steps:\n  - name: a\n    action: scale\n  - name: b\n    action: notify\n    params:\n      - x\nguards:\n  - name: g\n"_s;
        const QList<YamlStepSpan> steps = YamlOutline(text).steps();
        QCOMPARE(steps.size(), 2);
        QCOMPARE(steps.at(0).name, u"a"_s);
        QCOMPARE(steps.at(0).lastLine, 3);
        QCOMPARE(steps.at(1).action, u"notify"_s);
        QCOMPARE(steps.at(1).lastLine, 7);
    }

    void completesFromTheCatalog_data()
    {
        QTest::addColumn<QString>("marked");
        QTest::addColumn<QString>("what");
        QTest::addColumn<QStringList>("some"); // among the items
        QTest::addColumn<QStringList>("none"); // never offered here
        const QString head = u"name: pool\nlevel: 3\ntrigger:\n  alert: HighCpu\nsteps:\n"_s;
        QStringList allActions = ActionCatalog::instance().names();
        QTest::addRow("every action after action:")
            << head + u"  - name: a\n    action: |"_s << u"actions"_s << allActions << QStringList {};
        QTest::addRow("actions by prefix") << head + u"  - name: a\n    action: term|"_s << u"actions"_s
                                           << QStringList { u"terminate_connections"_s, u"terminate_host"_s }
                                           << QStringList { u"scale"_s, u"restart_pods"_s };
        QTest::addRow("top-level keys") << u"name: x\n|"_s << u"keys of the runbook"_s
                                        << QStringList { u"level"_s, u"trigger"_s, u"steps"_s, u"drill"_s }
                                        << QStringList { u"name"_s, u"action"_s };
        QTest::addRow("step keys leave out present ones")
            << head + u"  - name: a\n    action: scale\n    |"_s << u"keys of the step"_s
            << QStringList { u"params"_s, u"blast_radius"_s, u"condition"_s }
            << QStringList { u"name"_s, u"action"_s, u"level"_s };
        QTest::addRow("parameters of the step's action")
            << head + u"  - name: a\n    action: terminate_connections\n    params:\n      |"_s
            << u"parameters of terminate_connections"_s << QStringList { u"state"_s, u"older_than"_s, u"database"_s }
            << QStringList { u"replicas"_s, u"metric"_s };
        QTest::addRow("parameters in flow, action below")
            << head + u"  - name: a\n    params: { by: 1, |}\n    action: scale\n"_s << u"parameters of scale"_s
            << QStringList { u"min"_s, u"max"_s, u"replicas"_s } << QStringList { u"by"_s };
        QTest::addRow("enum values") << head
                + u"  - name: a\n    action: terminate_connections\n    params: { state: |"_s
                                     << u"values of state"_s << QStringList { u"idle"_s, u"idle_in_transaction"_s }
                                     << QStringList {};
        QTest::addRow("booleans") << head + u"  - name: a\n    action: restart_pods\n    params: { only_unhealthy: |"_s
                                  << u"values of only_unhealthy"_s << QStringList { u"true"_s, u"false"_s }
                                  << QStringList {};
        QTest::addRow("blast radius keys")
            << head + u"  - name: a\n    action: scale\n    blast_radius: { |"_s << u"keys of the blast radius"_s
            << QStringList { u"max_pods"_s, u"max_cycles"_s } << QStringList {};
        QTest::addRow("trigger confidence") << u"trigger:\n  confidence: |"_s << u"values of confidence"_s
                                            << QStringList { u"low"_s, u"medium"_s, u"high"_s } << QStringList {};
        QTest::addRow("levels") << u"level: |"_s << u"values of level"_s << QStringList { u"0"_s, u"4"_s }
                                << QStringList { u"5"_s };
        QTest::addRow("conditions name earlier steps")
            << head
                + u"  - name: diagnose\n    action: collect_diagnostics\n  - name: b\n    action: page_oncall\n    condition: diagnose.|"_s
            << u"outcomes and facts of earlier steps"_s << QStringList { u"diagnose.failed"_s, u"diagnose.cause"_s }
            << QStringList { u"b.failed"_s };
    }
    void completesFromTheCatalog()
    {
        QFETCH(QString, marked);
        QFETCH(QString, what);
        QFETCH(QStringList, some);
        QFETCH(QStringList, none);
        const auto [text, at] = cursor(marked);
        const Completion c = RunbookCompletion::at(text, at);
        QCOMPARE(c.what, what);
        const QStringList offered = c.texts();
        for (const QString &s : some)
            QVERIFY2(offered.contains(s), qPrintable(s + u" not in "_s + offered.join(u", "_s)));
        for (const QString &n : none)
            QVERIFY2(!offered.contains(n), qPrintable(n + u" offered"_s));
        QCOMPARE(c.replaceStart, at - c.prefix.size());
    }

    void completesNothingWhereNothingFits()
    {
        for (const QString &marked : { u"description: what it do|"_s, u"name: x # comm|"_s,
                 u"steps:\n  - action: nope\n    params: { a: |"_s }) {
            const auto [text, at] = cursor(marked);
            QVERIFY2(RunbookCompletion::at(text, at).isEmpty(), qPrintable(marked));
        }
    }

    void helpsWithTheActionUnderTheCursor()
    {
        const ActionSpec *a = ActionCatalog::instance().find(u"failover_database");
        QVERIFY(a);
        const QString html = ActionHelp::html(*a, u"max_replication_lag"_s);
        QVERIFY(html.contains(u"<b>approve</b> tier"_s));
        QVERIFY(html.contains(u"Changes the system"_s));
        QVERIFY(html.contains(u"max_databases"_s));
        QVERIFY(html.contains(u"▸ max_replication_lag"_s)); // the parameter under the cursor
        QVERIFY(html.contains(u"default 5s"_s));
        QVERIFY(html.contains(u"primary"_s)); // its fact
        const QString readOnly = ActionHelp::html(*ActionCatalog::instance().find(u"query_metrics"));
        QVERIFY(readOnly.contains(u"Read-only"_s));
        QVERIFY(readOnly.contains(u"metric*"_s)); // required
        QVERIFY(ActionHelp::placeholder(u"terminate_conections"_s)
                    .contains(u"Did you mean <code>terminate_connections</code>"_s));
    }

    // Whatever is typed, the outline answers: no crash, no hang, no position outside the text.
    void survivesHostileText_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addRow("empty") << QString();
        QTest::addRow("only dashes") << u"- - - -\n-\n- -"_s;
        QTest::addRow("unbalanced flow") << u"a: {{{[[[,,:: ]]}}} }\n  b: ]"_s;
        QTest::addRow("tabs and carriage returns") << u"\tname:\r\r\n\t- x: \"\\"_s;
        QTest::addRow("lone surrogate") << (u"a: "_s + QChar(0xD800) + u"\nb"_s);
        QTest::addRow("deep indentation") << (QString(5000, u' ') + u"x:\n"_s).repeated(3);
        QTest::addRow("long list") << (u"steps:\n"_s + u"  - name: s\n    action: scale\n"_s.repeated(3000));
    }
    void survivesHostileText()
    {
        QFETCH(QString, text);
        const YamlOutline outline(text);
        const TextLocator locator(text);
        for (qsizetype at = 0; at <= text.size(); at += std::max<qsizetype>(1, text.size() / 97)) {
            const YamlPlace place = outline.placeAt(at);
            QVERIFY(place.prefixStart >= 0 && place.prefixStart <= at);
            const YamlStepSpan span = outline.stepAt(at);
            QVERIFY(span.lastLine >= span.firstLine);
            const Completion completion = RunbookCompletion::at(text, at);
            QVERIFY(completion.replaceStart >= 0 && completion.replaceStart <= at);
            const auto underline = locator.underline(at);
            QVERIFY(underline.start >= 0 && underline.start + underline.length <= text.size());
        }
        QVERIFY(outline.steps().size() <= text.count(u'-'));
    }
};

QTEST_GUILESS_MAIN(TestEditorText)
#include "tst_editortext.moc"
