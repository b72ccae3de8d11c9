// antibodyctl policy lint and policy can as an operator and CI run them: exit codes 0/1/2,
// the lines printed, the JSON, and the examples and transcripts of docs/team.md ("Policy")
// run as written.
#include "tests/support/clirun.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using antibody::cli::antibodyctl;
using antibody::cli::Run;
using antibody::cli::sourcePath;

namespace {

const QByteArray teamPolicy = "groups:\n"
                              "  sre: [alice, bob]\n"
                              "  viewers: [carol]\n"
                              "  dba: []\n"
                              "approvals:\n"
                              "  approve: 2\n"
                              "rules:\n"
                              "  - allow: [view]\n" // 8
                              "    subjects: [\"group:viewers\", \"group:sre\"]\n"
                              "  - allow: [approve, deny]\n" // 10
                              "    subjects: [\"group:sre\"]\n"
                              "    services: [\"orders-*\"]\n"
                              "    tiers: [safe, approve]\n"
                              "  - allow: [reset_breaker]\n" // 14
                              "    subjects: [\"group:dba\"]\n"
                              "    runbooks: [\"db-*\"]\n"
                              "  - deny: [break_glass]\n" // 17
                              "    subjects: [\"*\"]\n";

// The docs' lint transcript is of this file.
const QByteArray typoPolicy = "groups: { sre: [alice] }\n"
                              "rules:\n"
                              "  - allow: [aprove]\n"
                              "    subjects: [\"group:sres\"]\n";

const QRegularExpression diagnosticLine(u"^(.+):(\\d+):(\\d+): (error|warning)\\[([a-z0-9-]+)\\]: (.+)$"_s);

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        qFatal("cannot write %s", qPrintable(path));
    f.write(bytes);
    return path;
}

// The "Policy" section of docs/team.md, up to the next section of its level.
QString policyDocs()
{
    QFile f(sourcePath(u"docs/team.md"_s));
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(f.readAll());
    const qsizetype start = text.indexOf(u"\n## Policy\n"_s);
    const qsizetype end = text.indexOf(u"\n## "_s, start + 1);
    return start < 0 ? QString() : text.mid(start, end - start);
}

// The bodies of the fenced blocks that open with "```<language>" ("```" alone: none named).
QStringList fencedBlocks(const QString &text, const QString &language)
{
    QStringList blocks;
    bool inside = false;
    bool wanted = false;
    QString body;
    for (const QString &line : text.split(u'\n')) {
        if (!line.startsWith(u"```"_s)) {
            body += inside ? line + u'\n' : QString();
            continue;
        }
        if (inside && wanted)
            blocks << body;
        wanted = !inside && line.mid(3) == language;
        inside = !inside;
        body.clear();
    }
    return blocks;
}

} // namespace

class TestPolicyCli : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aCleanPolicyExitsZero()
    {
        QTemporaryDir dir;
        const QString path = write(dir, u"policy.yaml"_s, teamPolicy);
        const Run r = antibodyctl({ u"policy"_s, u"lint"_s, path });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(r.out, u"policy lint: %1: 3 groups, 4 rules: no problems\n"_s.arg(path));
        QVERIFY(r.err.isEmpty());
    }

    void errorsAreLocatedAndExitOne()
    {
        QTemporaryDir dir;
        const QString bad = write(dir, u"bad.yaml"_s, typoPolicy);
        const QString good = write(dir, u"good.yaml"_s, teamPolicy);
        const Run r = antibodyctl({ u"policy"_s, u"lint"_s, bad, good });
        QCOMPARE(r.exitCode, 1);
        const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 6);
        const auto verb = diagnosticLine.match(lines[0]);
        QVERIFY2(verb.hasMatch(), qPrintable(lines[0]));
        QCOMPARE(verb.captured(1), bad);
        QCOMPARE(verb.captured(2), u"3"_s);
        QCOMPARE(verb.captured(3), u"13"_s);
        QCOMPARE(verb.captured(5), u"unknown-verb"_s);
        QCOMPARE(lines[1], u"    hint: did you mean `approve`?"_s);
        QCOMPARE(diagnosticLine.match(lines[2]).captured(5), u"undefined-group"_s);
        QCOMPARE(lines[3], u"    hint: did you mean `sre`?"_s);
        QCOMPARE(lines[4], u"policy lint: %1: 3 groups, 4 rules: no problems"_s.arg(good));
        QCOMPARE(lines[5], u"policy lint: 2 errors, 0 warnings in 1 of 2 files"_s);
    }

    void warningsAloneExitZero()
    {
        QTemporaryDir dir;
        const QString path = write(dir, u"none.yaml"_s, "rules: []\n");
        const Run r = antibodyctl({ u"policy"_s, u"lint"_s, path });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(path + u":1:8: warning[grants-nothing]: "_s), qPrintable(r.out));
        QVERIFY(r.out.endsWith(u"policy lint: 0 errors, 1 warning in 1 of 1 file\n"_s));
    }

    void lintJson()
    {
        QTemporaryDir dir;
        const QString bad = write(dir, u"bad.yaml"_s, typoPolicy);
        const Run r = antibodyctl({ u"policy"_s, u"lint"_s, u"--json"_s, bad });
        QCOMPARE(r.exitCode, 1);
        const QJsonArray array = QJsonDocument::fromJson(r.out.toUtf8()).array();
        QCOMPARE(array.size(), 2);
        const QJsonObject first = array[0].toObject();
        QCOMPARE(first.keys(),
            QStringList({ u"code"_s, u"column"_s, u"file"_s, u"hint"_s, u"line"_s, u"message"_s, u"severity"_s }));
        QCOMPARE(first[u"file"_s].toString(), bad);
        QCOMPARE(first[u"line"_s].toInt(), 3);
        QCOMPARE(first[u"column"_s].toInt(), 13);
        QCOMPARE(first[u"code"_s].toString(), u"unknown-verb"_s);
        QCOMPARE(first[u"severity"_s].toString(), u"error"_s);
        const Run same = antibodyctl({ u"policy"_s, u"lint"_s, u"--format=json"_s, bad });
        QCOMPARE(same.out, r.out);
        const QString good = write(dir, u"good.yaml"_s, teamPolicy);
        const Run clean = antibodyctl({ u"policy"_s, u"lint"_s, u"--json"_s, good });
        QCOMPARE(clean.exitCode, 0);
        QVERIFY(QJsonDocument::fromJson(clean.out.toUtf8()).isArray());
        QCOMPARE(QJsonDocument::fromJson(clean.out.toUtf8()).array().size(), 0);
    }

    void lintUsageAndUnreadableFilesExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("err"); // empty: the problem is a diagnostic on stdout
        QTest::addRow("no action") << QStringList { u"policy"_s } << u"say lint or can"_s;
        QTest::addRow("unknown action") << QStringList { u"policy"_s, u"check"_s } << u"unknown action 'check'"_s;
        QTest::addRow("no file") << QStringList { u"policy"_s, u"lint"_s } << u"name at least one policy file"_s;
        QTest::addRow("unknown option") << QStringList { u"policy"_s, u"lint"_s, u"--strict"_s, u"p.yaml"_s }
                                        << u"unknown option '--strict'"_s;
        QTest::addRow("an option of can") << QStringList { u"policy"_s, u"lint"_s, u"--tier"_s, u"safe"_s, u"p.yaml"_s }
                                          << u"policy lint takes files only"_s;
        QTest::addRow("missing file") << QStringList { u"policy"_s, u"lint"_s, u"/nonexistent/policy.yaml"_s }
                                      << QString();
    }

    void lintUsageAndUnreadableFilesExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, err);
        const Run r = antibodyctl(args);
        QCOMPARE(r.exitCode, 2);
        if (err.isEmpty()) {
            QVERIFY2(
                r.out.startsWith(u"/nonexistent/policy.yaml: error[io-error]: no such file\n"_s), qPrintable(r.out));
        } else {
            QVERIFY2(r.err.contains(err), qPrintable(r.err));
            QVERIFY(r.out.isEmpty());
        }
    }

    void canSaysWhoMayAndWhichRule_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("first"); // the first line, with FILE for the policy's path
        QTest::addRow("allowed through a group")
            << QStringList { u"alice"_s, u"approve"_s, u"--service"_s, u"orders-db"_s, u"--tier"_s, u"approve"_s } << 0
            << u"allowed: alice may approve on service orders-db, tier approve: allowed by FILE:10:5 (allow approve, "
               u"deny to group:sre on services orders-*; tiers safe, approve), as a member of group:sre"_s;
        QTest::addRow("denied by a rule")
            << QStringList { u"bob"_s, u"break_glass"_s, u"--service=orders-db"_s, u"--tier=approve"_s } << 1
            << u"denied: bob may not break_glass on service orders-db, tier approve: denied by FILE:17:5 (deny "
               u"break_glass to *)"_s;
        QTest::addRow("denied by default")
            << QStringList { u"carol"_s, u"approve"_s, u"--service"_s, u"orders-db"_s } << 1
            << u"denied: no rule allows carol to approve on service orders-db: the policy denies by default"_s;
        QTest::addRow("a glob that does not match")
            << QStringList { u"alice"_s, u"approve"_s, u"--service"_s, u"payments-api"_s } << 1
            << u"denied: no rule allows alice to approve on service payments-api: the policy denies by default"_s;
        QTest::addRow("a group from the token")
            << QStringList { u"dan"_s, u"reset_breaker"_s, u"--runbook"_s, u"db-pool"_s, u"--groups"_s, u"dba"_s } << 0
            << u"allowed: dan may reset_breaker on runbook db-pool: allowed by FILE:14:5 (allow reset_breaker to "
               u"group:dba on runbooks db-*), as a member of group:dba"_s;
        QTest::addRow("without the token's group")
            << QStringList { u"dan"_s, u"reset_breaker"_s, u"--runbook"_s, u"db-pool"_s } << 1
            << u"denied: no rule allows dan to reset_breaker on runbook db-pool: the policy denies by default"_s;
    }

    void canSaysWhoMayAndWhichRule()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, first);
        QTemporaryDir dir;
        const QString path = write(dir, u"policy.yaml"_s, teamPolicy);
        const Run r = antibodyctl(QStringList { u"policy"_s, u"can"_s } + args + QStringList { u"--policy"_s, path });
        QCOMPARE(r.exitCode, exitCode);
        QCOMPARE(r.out.section(u'\n', 0, 0), first.replace(u"FILE"_s, path));
        QVERIFY2(r.err.isEmpty(), qPrintable(r.err));
    }

    void canTellsHowManyApprove()
    {
        QTemporaryDir dir;
        const QString path = write(dir, u"policy.yaml"_s, teamPolicy);
        const Run r = antibodyctl({ u"policy"_s, u"can"_s, u"alice"_s, u"approve"_s, u"--service"_s, u"orders-db"_s,
            u"--tier"_s, u"approve"_s, u"--policy"_s, path });
        QCOMPARE(r.out.section(u'\n', 1),
            u"approvals: 2 distinct people approve an action of tier approve (a runbook's `approvals:` may ask more)\n"_s);
        const Run safe = antibodyctl({ u"policy"_s, u"can"_s, u"alice"_s, u"approve"_s, u"--service"_s, u"orders-db"_s,
            u"--tier"_s, u"safe"_s, u"--policy"_s, path });
        QVERIFY2(safe.out.contains(u"\napprovals: one person approves an action of tier safe"_s), qPrintable(safe.out));
    }

    void canJson()
    {
        QTemporaryDir dir;
        const QString path = write(dir, u"policy.yaml"_s, teamPolicy);
        const Run r = antibodyctl({ u"policy"_s, u"can"_s, u"bob"_s, u"deny"_s, u"--service"_s, u"orders-db"_s,
            u"--tier"_s, u"approve"_s, u"--policy"_s, path, u"--json"_s });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = r.json();
        QCOMPARE(o[u"allowed"_s].toBool(), true);
        QCOMPARE(o[u"rule"_s].toString(), path + u":10:5"_s);
        QVERIFY(o[u"explanation"_s].toString().startsWith(u"bob may deny on service orders-db, tier approve"_s));
        QCOMPARE(o[u"subject"_s].toString(), u"bob"_s);
        QCOMPARE(o[u"groups"_s].toArray(), QJsonArray { u"sre"_s });
        QCOMPARE(o[u"verb"_s].toString(), u"deny"_s);
        QCOMPARE(o[u"service"_s].toString(), u"orders-db"_s);
        QCOMPARE(o[u"tier"_s].toString(), u"approve"_s);
        QCOMPARE(o[u"approvals"_s].toInt(), 2);
        const Run denied = antibodyctl(
            { u"policy"_s, u"can"_s, u"carol"_s, u"admin"_s, u"--policy"_s, path, u"--format"_s, u"json"_s });
        QCOMPARE(denied.exitCode, 1);
        QCOMPARE(denied.json()[u"allowed"_s].toBool(), false);
        QCOMPARE(denied.json()[u"rule"_s].toString(), QString());
    }

    void canUsageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("err");
        QTest::addRow("an unknown verb") << QStringList { u"alice"_s, u"aprove"_s, u"--policy"_s, u"POLICY"_s }
                                         << u"unknown verb 'aprove' (did you mean 'approve'?)"_s;
        QTest::addRow("an unknown tier") << QStringList { u"alice"_s, u"approve"_s, u"--tier"_s, u"risky"_s,
            u"--policy"_s, u"POLICY"_s } << u"--tier 'risky': say safe, approve or never"_s;
        QTest::addRow("no policy") << QStringList { u"alice"_s, u"view"_s } << u"--policy FILE is required"_s;
        QTest::addRow("no verb") << QStringList { u"alice"_s, u"--policy"_s, u"POLICY"_s } << u"say who and what"_s;
        QTest::addRow("an empty user") << QStringList { QString(), u"view"_s, u"--policy"_s, u"POLICY"_s }
                                       << u"USER is empty"_s;
        QTest::addRow("a policy that does not lint") << QStringList { u"alice"_s, u"view"_s, u"--policy"_s,
            u"BROKEN"_s } << u"BROKEN:3:13: error[unknown-verb]: unknown verb `aprove` in `allow`\n"_s;
        QTest::addRow("a policy that is not there") << QStringList { u"alice"_s, u"view"_s, u"--policy"_s,
            u"/nonexistent/policy.yaml"_s } << u"nothing is decided on a policy that does not lint"_s;
    }

    void canUsageErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, err);
        QTemporaryDir dir;
        const QString good = write(dir, u"policy.yaml"_s, teamPolicy);
        const QString broken = write(dir, u"broken.yaml"_s, typoPolicy);
        for (QString &a : args)
            a.replace(u"POLICY"_s, good).replace(u"BROKEN"_s, broken);
        const Run r = antibodyctl(QStringList { u"policy"_s, u"can"_s } + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(err.replace(u"BROKEN"_s, broken)), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void helpNamesBothActions()
    {
        const Run r = antibodyctl({ u"policy"_s, u"--help"_s });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.startsWith(u"usage: antibodyctl policy lint [--json] FILE...\n"_s));
        QVERIFY(r.out.contains(u"antibodyctl policy can USER VERB --policy FILE"_s));
        const Run help = antibodyctl({ u"help"_s });
        QVERIFY2(help.out.contains(u"  policy "_s), qPrintable(help.out));
    }

    void theDocsPoliciesLint()
    {
        const QString docs = policyDocs();
        QVERIFY2(!docs.isEmpty(), "docs/team.md is not there, or has no \"## Policy\" section");
        QTemporaryDir dir;
        int policies = 0;
        for (const QString &block : fencedBlocks(docs, u"yaml"_s)) {
            if (block.startsWith(u"server:"_s))
                continue; // the server's configuration, not a policy
            const QString path = write(dir, u"docs-%1.yaml"_s.arg(++policies), block.toUtf8());
            const Run r = antibodyctl({ u"policy"_s, u"lint"_s, path });
            QVERIFY2(r.exitCode == 0 && r.out.endsWith(u": no problems\n"_s), qPrintable(block + r.out + r.err));
        }
        QCOMPARE(policies, 4); // the format, the smallest, a small team, a regulated team
    }

    void theDocsTranscriptsAreWhatTheToolSays()
    {
        // Each "$ antibodyctl policy ..." line of the docs, run on the policy it names: the
        // regulated team's for `can`, the two typos for `lint`; its output is the lines after it.
        const QString docs = policyDocs();
        QStringList policies;
        for (const QString &block : fencedBlocks(docs, u"yaml"_s)) {
            if (block.contains(u"four eyes"_s))
                policies << block;
        }
        QCOMPARE(policies.size(), 1);
        QTemporaryDir dir;
        const QString regulated = write(dir, u"regulated.yaml"_s, policies.front().toUtf8());
        const QString typos = write(dir, u"typos.yaml"_s, typoPolicy);
        const QString shown = u"/etc/antibody/policy.yaml"_s;
        int commands = 0;
        for (const QString &block : fencedBlocks(docs, QString())) {
            const QStringList lines = block.split(u'\n', Qt::SkipEmptyParts);
            for (qsizetype i = 0; i < lines.size(); ++i) {
                if (!lines[i].startsWith(u"$ antibodyctl policy "_s))
                    continue;
                QStringList args = lines[i].mid(14).split(u' ', Qt::SkipEmptyParts);
                const QString policy = args.at(1) == u"lint"_s ? typos : regulated;
                for (QString &a : args)
                    a.replace(shown, policy);
                QString expected;
                for (qsizetype j = i + 1; j < lines.size() && !lines[j].startsWith(u"$ "_s); ++j)
                    expected += QString(lines[j]).replace(shown, policy) + u'\n';
                const Run r = antibodyctl(args);
                QCOMPARE(r.out, expected);
                ++commands;
            }
        }
        QCOMPARE(commands, 4);
    }

    void theDocsCommandsParse()
    {
        // Every `antibodyctl policy` command of the docs' sh blocks, pasted, on the regulated
        // team's policy: none is a usage error.
        const QString docs = policyDocs();
        QString regulatedText;
        for (const QString &block : fencedBlocks(docs, u"yaml"_s)) {
            if (block.contains(u"four eyes"_s))
                regulatedText = block;
        }
        QTemporaryDir dir;
        const QString regulated = write(dir, u"regulated.yaml"_s, regulatedText.toUtf8());
        int commands = 0;
        for (const QString &block : fencedBlocks(docs, u"sh"_s)) {
            for (QString line : block.split(u'\n', Qt::SkipEmptyParts)) {
                line = line.section(u" #"_s, 0, 0).trimmed();
                if (!line.startsWith(u"antibodyctl policy "_s))
                    continue;
                QStringList args = line.mid(12).split(u' ', Qt::SkipEmptyParts);
                for (QString &a : args)
                    a.replace(u"/etc/antibody/policy.yaml"_s, regulated);
                const Run r = antibodyctl(args);
                QVERIFY2(r.exitCode == 0 || r.exitCode == 1, qPrintable(line + u'\n' + r.err));
                ++commands;
            }
        }
        QCOMPARE(commands, 5);
    }
};

QTEST_GUILESS_MAIN(TestPolicyCli)
#include "tst_policycli.moc"
