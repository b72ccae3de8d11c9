// The team server's access policy: who may do what (default deny, deny wins, groups
// from the file and from tokens, globs on services, runbooks and tiers), how many people
// approve, and every malformed or hostile file refused with a located reason.
#include "engine/policy/policy.h"
#include "engine/policy/policyglob.h"
#include "tests/engine/diagnosticsearch.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::test;

namespace {

const QByteArray team = "# the team's policy\n" // 1
                        "groups:\n" // 2
                        "  sre: [alice, bob]\n" // 3
                        "  viewers: [carol]\n" // 4
                        "  dba: []\n" // 5
                        "approvals:\n" // 6
                        "  approve: 2\n" // 7
                        "rules:\n" // 8
                        "  - allow: [view]\n" // 9
                        "    subjects: [\"group:viewers\", \"group:sre\"]\n" // 10
                        "  - allow: [approve, deny]\n" // 11
                        "    subjects: [\"group:sre\"]\n" // 12
                        "    services: [\"orders-*\"]\n" // 13
                        "    tiers: [safe, approve]\n" // 14
                        "  - deny: [break_glass]\n" // 15
                        "    subjects: [\"*\"]\n" // 16
                        "  - allow: [break_glass, approve]\n" // 17
                        "    subjects: [alice]\n" // 18
                        "  - deny: [approve]\n" // 19
                        "    subjects: [bob]\n" // 20
                        "    services: [orders-ledger]\n" // 21
                        "  - allow: [reset_breaker]\n" // 22
                        "    subjects: [\"group:dba\"]\n" // 23
                        "    runbooks: [\"db-*\"]\n"; // 24

Policy teamPolicy()
{
    QStringList errors;
    const std::optional<Policy> policy = Policy::parse(team, u"team.yaml"_s, &errors);
    if (!policy || !errors.isEmpty())
        qFatal("the team policy does not read: %s", qPrintable(errors.join(u'\n')));
    return *policy;
}

PolicyObject on(const QString &service, const QString &tier = {}, const QString &runbook = {})
{
    return PolicyObject { service, runbook, tier };
}

} // namespace

class TestPolicy : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verbsHaveOneNameEach()
    {
        QCOMPARE(policyVerbNames(),
            QStringList({ u"view"_s, u"approve"_s, u"deny"_s, u"cancel"_s, u"reset_breaker"_s, u"install_runbook"_s,
                u"break_glass"_s, u"request"_s, u"admin"_s }));
        for (PolicyVerb verb : policyVerbs())
            QCOMPARE(policyVerbFromName(policyVerbName(verb)), verb);
        QVERIFY(!policyVerbFromName(u"Approve"));
        QVERIFY(!policyVerbFromName(u""));
    }

    void globs_data()
    {
        QTest::addColumn<QString>("pattern");
        QTest::addColumn<QString>("text");
        QTest::addColumn<bool>("matches");
        QTest::addRow("exact") << u"orders-db"_s << u"orders-db"_s << true;
        QTest::addRow("case counts") << u"orders-db"_s << u"Orders-db"_s << false;
        QTest::addRow("prefix") << u"orders-*"_s << u"orders-db"_s << true;
        QTest::addRow("star may be empty") << u"orders-*"_s << u"orders-"_s << true;
        QTest::addRow("whole text, not a part") << u"orders"_s << u"orders-db"_s << false;
        QTest::addRow("suffix") << u"*-db"_s << u"orders-db"_s << true;
        QTest::addRow("middle") << u"orders-*-eu"_s << u"orders-db-eu"_s << true;
        QTest::addRow("middle missing") << u"orders-*-eu"_s << u"orders-db-us"_s << false;
        QTest::addRow("question mark is one character") << u"db-?"_s << u"db-1"_s << true;
        QTest::addRow("question mark is not none") << u"db-?"_s << u"db-"_s << false;
        QTest::addRow("a dot is a dot") << u"orders.*"_s << u"orders-db"_s << false;
        QTest::addRow("no character classes") << u"db-[12]"_s << u"db-1"_s << false;
        QTest::addRow("backtracking") << u"*a*b"_s << u"xaxaxb"_s << true;
        QTest::addRow("star alone") << u"*"_s << u"anything"_s << true;
        QTest::addRow("empty pattern") << QString() << u"x"_s << false;
    }

    void globs()
    {
        QFETCH(QString, pattern);
        QFETCH(QString, text);
        QFETCH(bool, matches);
        QCOMPARE(globMatches(pattern, text), matches);
    }

    void aPathologicalGlobStaysFast()
    {
        const QString pattern = u"*a*a*a*a*a*a*a*a*a*a*b"_s;
        const QString text(253, u'a');
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 100; ++i)
            QVERIFY(!globMatches(pattern, text));
        QVERIFY2(timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    }

    void aGroupIsAllowedWhatItsRuleSays()
    {
        const PolicyDecision d = teamPolicy().decide(u"alice"_s, PolicyVerb::Approve, on(u"orders-db"_s, u"approve"_s));
        QVERIFY(d.allowed);
        QCOMPARE(d.rule, u"team.yaml:11:5"_s);
        QCOMPARE(d.explanation,
            u"alice may approve on service orders-db, tier approve: allowed by team.yaml:11:5 (allow approve, deny to "
            u"group:sre on services orders-*; tiers safe, approve), as a member of group:sre"_s);
    }

    void denyWinsOverAnAllowBeforeOrAfterIt()
    {
        const Policy policy = teamPolicy();
        // alice is allowed break_glass by name (line 17), and everyone is denied it (line 15).
        const PolicyDecision glass
            = policy.decide(u"alice"_s, PolicyVerb::BreakGlass, on(u"orders-db"_s, u"approve"_s));
        QVERIFY(!glass.allowed);
        QCOMPARE(glass.rule, u"team.yaml:15:5"_s);
        QCOMPARE(glass.explanation,
            u"alice may not break_glass on service orders-db, tier approve: denied by team.yaml:15:5 (deny "
            u"break_glass to *)"_s);
        // bob's group may approve orders-*, but a later rule denies him orders-ledger.
        const PolicyDecision ledger
            = policy.decide(u"bob"_s, PolicyVerb::Approve, on(u"orders-ledger"_s, u"approve"_s));
        QVERIFY(!ledger.allowed);
        QCOMPARE(ledger.rule, u"team.yaml:19:5"_s);
        QVERIFY(policy.decide(u"bob"_s, PolicyVerb::Approve, on(u"orders-db"_s, u"approve"_s)).allowed);
        QVERIFY(policy.decide(u"alice"_s, PolicyVerb::Approve, on(u"orders-ledger"_s, u"approve"_s)).allowed);
    }

    void whatNoRuleAllowsIsDenied()
    {
        const Policy policy = teamPolicy();
        const PolicyDecision viewer = policy.decide(u"carol"_s, PolicyVerb::Approve, on(u"orders-db"_s, u"approve"_s));
        QVERIFY(!viewer.allowed);
        QVERIFY(viewer.rule.isEmpty());
        QCOMPARE(viewer.explanation,
            u"no rule allows carol to approve on service orders-db, tier approve: the policy denies by default"_s);
        QVERIFY(policy.decide(u"carol"_s, PolicyVerb::View, {}).allowed);
        QVERIFY(!policy.decide(u"mallory"_s, PolicyVerb::View, {}).allowed); // in no group
        QVERIFY(!policy.decide(u"alice"_s, PolicyVerb::Admin, {}).allowed); // admin is granted only by name
        QVERIFY(!policy.decide(u"alice"_s, PolicyVerb::InstallRunbook, on(u"orders-db"_s)).allowed);
        const PolicyDecision nobody = policy.decide(QString(), PolicyVerb::View, {});
        QVERIFY(!nobody.allowed);
        QVERIFY(nobody.explanation.contains(u"without a subject"_s));
    }

    void globsAndTiersNarrowARule()
    {
        const Policy policy = teamPolicy();
        QVERIFY(!policy.decide(u"bob"_s, PolicyVerb::Approve, on(u"payments-api"_s, u"approve"_s)).allowed);
        QVERIFY(!policy.decide(u"bob"_s, PolicyVerb::Deny, on(u"orders-db"_s, u"never"_s)).allowed);
        QVERIFY(policy.decide(u"bob"_s, PolicyVerb::Deny, on(u"orders-db"_s, u"safe"_s)).allowed);
        // alice's own rule (line 17) names no service: it covers payments-api too.
        QCOMPARE(policy.decide(u"alice"_s, PolicyVerb::Approve, on(u"payments-api"_s, u"approve"_s)).rule,
            u"team.yaml:17:5"_s);
        // A rule that names services covers no request without one ("everything" is more than orders-*).
        QVERIFY(!policy.decide(u"bob"_s, PolicyVerb::Deny, {}).allowed);
    }

    void groupsComeFromTheFileAndFromTokens()
    {
        const Policy policy = teamPolicy();
        QCOMPARE(policy.groupsOf(u"alice"_s), QStringList { u"sre"_s });
        QCOMPARE(policy.groupsOf(u"dan"_s), QStringList {});
        QCOMPARE(policy.groupNames(), QStringList({ u"dba"_s, u"sre"_s, u"viewers"_s }));
        const PolicyObject pool = on(u"orders-db"_s, u"safe"_s, u"db-pool"_s);
        QVERIFY(!policy.decide(u"dan"_s, PolicyVerb::ResetBreaker, pool).allowed);
        const PolicyDecision d = policy.decide(u"dan"_s, PolicyVerb::ResetBreaker, pool, { u"dba"_s });
        QVERIFY(d.allowed);
        QCOMPARE(d.rule, u"team.yaml:22:5"_s);
        QVERIFY(d.explanation.endsWith(u"as a member of group:dba"_s));
        QVERIFY(
            !policy
                 .decide(u"dan"_s, PolicyVerb::ResetBreaker, on(u"orders-db"_s, u"safe"_s, u"restart"_s), { u"dba"_s })
                 .allowed);
    }

    void approvalsPerTier()
    {
        const Policy policy = teamPolicy();
        QCOMPARE(policy.approvalsFor(u"approve"_s), 2);
        QCOMPARE(policy.approvalsFor(u"safe"_s), 1);
        QCOMPARE(policy.approvalsFor(u"never"_s), 1);
        QStringList errors;
        const auto four = Policy::parse("approvals: { safe: 1, approve: 4 }\nrules: []\n", u"p.yaml"_s, &errors);
        QVERIFY(four);
        QCOMPARE(four->approvalsFor(u"approve"_s), 4);
        QCOMPARE(four->approvalsFor(u"safe"_s), 1);
    }

    void anEmptyPolicyGrantsNothing_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<int>("line");
        QTest::addRow("rules: []") << QByteArray("rules: []\n") << 1;
        QTest::addRow("rules: alone") << QByteArray("groups: { sre: [alice] }\nrules:\n") << 2;
        QTest::addRow("no rules key") << QByteArray("approvals: { approve: 2 }\n") << 1;
        QTest::addRow("an empty mapping") << QByteArray("{}\n") << 1;
    }

    void anEmptyPolicyGrantsNothing()
    {
        QFETCH(QByteArray, text);
        QFETCH(int, line);
        const PolicyLoad loaded = Policy::loadText(text, u"empty.yaml"_s);
        QVERIFY2(loaded.policy, qPrintable(dumpDiagnostics(loaded.diagnostics)));
        QCOMPARE(loaded.diagnostics.size(), 1);
        const Diagnostic &d = loaded.diagnostics.front();
        QCOMPARE(d.code, u"grants-nothing"_s);
        QVERIFY(!d.isError());
        QCOMPARE(d.line, line);
        for (PolicyVerb verb : policyVerbs()) {
            const PolicyDecision decision = loaded.policy->decide(u"alice"_s, verb, on(u"orders-db"_s, u"safe"_s));
            QVERIFY(!decision.allowed);
            QVERIFY(decision.explanation.endsWith(u"the policy denies by default"_s));
        }
    }

    void aFileWithNothingInItIsNoPolicy()
    {
        // A truncated write must not read as "grant nothing" silently: the server keeps the old policy.
        for (const QByteArray &text : { QByteArray(), QByteArray("# only a comment\n\n") }) {
            QStringList errors;
            QVERIFY(!Policy::parse(text, u"p.yaml"_s, &errors));
            QCOMPARE(errors.size(), 1);
            QVERIFY2(errors.front().startsWith(u"p.yaml:1:1: error[empty-file]: the file holds no policy; "_s),
                qPrintable(errors.front()));
            QVERIFY(errors.front().contains(u"rules: []"_s));
        }
    }

    void aMissingOrUnreadableFileIsNamed()
    {
        QStringList errors;
        QVERIFY(!Policy::read(u"/nonexistent/policy.yaml"_s, &errors));
        QCOMPARE(errors,
            QStringList { u"/nonexistent/policy.yaml: error[io-error]: no such file; check the path (server.policy "
                          u"names the policy file)"_s });
        QTemporaryDir dir;
        errors.clear();
        QVERIFY(!Policy::read(dir.path(), &errors));
        QVERIFY2(errors.front().contains(u"this is a folder, not a policy file"_s), qPrintable(errors.front()));
    }

    void aFileOnDiskReadsWithItsPath()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"policy.yaml"_s);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(team);
        f.close();
        QStringList errors;
        const std::optional<Policy> policy = Policy::read(path, &errors);
        QVERIFY2(policy, qPrintable(errors.join(u'\n')));
        QVERIFY(errors.isEmpty());
        QCOMPARE(policy->file(), path);
        QCOMPARE(policy->decide(u"alice"_s, PolicyVerb::BreakGlass, {}).rule, path + u":15:5"_s);
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("code");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("message"); // a part of the message
        QTest::addColumn<QString>("hint"); // a part of the hint

        const auto row = [](const char *name, const QByteArray &text, const char *code, int line, int column,
                             const char *message, const char *hint) {
            QTest::addRow("%s", name) << text << QString::fromLatin1(code) << line << column
                                      << QString::fromUtf8(message) << QString::fromUtf8(hint);
        };
        row("unknown top-level key", "rule:\n  - allow: [view]\n    subjects: [alice]\n", "unknown-key", 1, 1,
            "unknown key `rule` in the policy", "did you mean `rules`?");
        row("unknown key in a rule", "rules:\n  - allow: [view]\n    subject: [alice]\n", "unknown-key", 3, 5,
            "unknown key `subject` in a rule", "did you mean `subjects`?");
        row("unknown verb", "rules:\n  - allow: [view, aprove]\n    subjects: [alice]\n", "unknown-verb", 2, 19,
            "unknown verb `aprove` in `allow`", "did you mean `approve`?");
        row("unknown verb, no near one", "rules:\n  - deny: [sudo]\n    subjects: [alice]\n", "unknown-verb", 2, 12,
            "unknown verb `sudo` in `deny`", "the verbs are: view, approve, deny, cancel, reset_breaker");
        row("allow and deny", "rules:\n  - allow: [view]\n    deny: [admin]\n    subjects: [alice]\n",
            "conflicting-keys", 2, 5, "both `allow` and `deny`", "split it into two rules");
        row("neither allow nor deny", "rules:\n  - subjects: [alice]\n", "missing-key", 2, 5,
            "neither `allow` nor `deny`", "add `allow: [verb, ...]`");
        row("no subjects", "rules:\n  - allow: [view]\n", "missing-key", 2, 5, "a rule has no `subjects`",
            "add `subjects:`");
        row("an empty subject", "rules:\n  - allow: [view]\n    subjects: [\"\"]\n", "invalid-subject", 3, 16,
            "subject: the subject is empty", "`group:NAME`, or `*`");
        row("a subject with a space", "rules:\n  - allow: [view]\n    subjects: [\"alice smith\"]\n", "invalid-subject",
            3, 16, "holds ' '", "as its token names it");
        row("an undefined group",
            "groups: { sre: [alice] }\nrules:\n  - allow: [view]\n    subjects: [\"group:sres\"]\n", "undefined-group",
            4, 16, "group `sres` is not defined under `groups:`", "did you mean `sre`?");
        row("a group of nothing", "rules:\n  - allow: [view]\n    subjects: [\"group:\"]\n", "undefined-group", 3, 16,
            "group `` is not defined", "groups: { NAME: [alice] }");
        row("subjects not a list", "rules:\n  - allow: [view]\n    subjects: alice\n", "wrong-type", 3, 15,
            "`subjects` must be a list, found text `alice`", "write a list");
        row("verbs not a list", "rules:\n  - allow: view\n    subjects: [alice]\n", "wrong-type", 2, 12,
            "`allow` must be a list", "write a list");
        row("no verbs", "rules:\n  - allow: []\n    subjects: [alice]\n", "empty-list", 2, 12, "`allow` is empty",
            "list at least one item");
        row("no subjects listed", "rules:\n  - allow: [view]\n    subjects: []\n", "empty-list", 3, 15,
            "`subjects` is empty", "list at least one item");
        row("a list in a list", "rules:\n  - allow: [[view]]\n    subjects: [alice]\n", "wrong-type", 2, 13,
            "each item of `allow` must be text", "");
        row("an empty glob", "rules:\n  - allow: [view]\n    subjects: [alice]\n    services: [\"\"]\n", "invalid-glob",
            4, 16, "an item of `services` is empty", "a glob with `*` and `?`");
        row("a regular expression",
            "rules:\n  - allow: [view]\n    subjects: [alice]\n    services: [\"^orders-.*$\"]\n", "invalid-glob", 4,
            16, "`^orders-.*$` in `services` holds `^`", "no regular expressions");
        row("an upper-case service", "rules:\n  - allow: [view]\n    subjects: [alice]\n    services: [Orders]\n",
            "invalid-glob", 4, 16, "holds `O`", "lowercase DNS names");
        row("a runbook glob with a slash",
            "rules:\n  - allow: [view]\n    subjects: [alice]\n    runbooks: [db/pool]\n", "invalid-glob", 4, 16,
            "holds `/`", "runbook names are letters");
        row("a misspelt tier", "rules:\n  - allow: [approve]\n    subjects: [alice]\n    tiers: [aprove]\n",
            "invalid-glob", 4, 13, "`aprove` in `tiers` matches no tier", "did you mean `approve`?");
        row("approvals zero", "approvals:\n  approve: 0\nrules: []\n", "out-of-range", 2, 12,
            "`approvals.approve` must be between 1 and 10, found 0", "pick a value from 1 to 10");
        row("approvals eleven", "approvals:\n  safe: 11\nrules: []\n", "out-of-range", 2, 9,
            "`approvals.safe` must be between 1 and 10, found 11", "");
        row("approvals in words", "approvals:\n  approve: two\nrules: []\n", "wrong-type", 2, 12,
            "`approvals.approve` must be a whole number", "write digits only");
        row("approvals for never", "approvals:\n  never: 2\nrules: []\n", "unknown-key", 2, 3,
            "unknown key `never` in `approvals`", "safe, approve");
        row("approvals not a mapping", "approvals: 2\nrules: []\n", "wrong-type", 1, 12,
            "`approvals` must be a mapping", "");
        row("a group twice",
            "groups:\n  sre: [alice]\n  sre: [bob]\nrules:\n  - allow: [view]\n    subjects: [\"group:sre\"]\n",
            "duplicate-key", 3, 3, "key `sre` appears twice", "");
        row("a group in a group", "groups:\n  dba: [dan]\n  sre: [alice, \"group:dba\"]\nrules: []\n",
            "invalid-subject", 3, 16, "groups hold people, not groups", "name both groups");
        row("everyone in a group", "groups:\n  sre: [\"*\"]\nrules: []\n", "invalid-subject", 2, 9,
            "`*` in group `sre`", "");
        row("a bad group name", "groups:\n  \"s re\": [alice]\nrules: []\n", "invalid-subject", 2, 3,
            "group name: the group 's re' holds ' '", "");
        row("groups as a list", "groups: [sre]\nrules: []\n", "wrong-type", 1, 9, "`groups` must be a mapping", "");
        row("members not a list", "groups:\n  sre: alice\nrules: []\n", "wrong-type", 2, 8,
            "the members of group `sre` must be a list", "`sre: []`");
        row("rules as a mapping", "rules:\n  allow: [view]\n", "wrong-type", 2, 3, "`rules` must be a list", "");
        row("a rule as text", "rules:\n  - allow view to alice\n", "wrong-type", 2, 5, "a rule must be a mapping", "");
        row("the policy as a list", "- allow: [view]\n", "wrong-type", 1, 1, "the policy must be a mapping", "");
        row("YAML syntax", "rules:\n  - allow: [view\n    subjects: [alice]\n", "yaml-syntax", 3, 13, "invalid YAML",
            "");
        row("a tab", "rules:\n\t- allow: [view]\n", "tab-indent", 2, 1, "indented with a tab", "");
        row("two documents", "rules: []\n---\nrules: []\n", "multiple-documents", 2, 1,
            "a policy file holds exactly one", "put each policy in its own file");
        row("invalid UTF-8", "rules: []\n# \xff\n", "invalid-utf8", 2, 3, "is not valid UTF-8", "a policy is text");
    }

    void malformed()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, code);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, message);
        QFETCH(QString, hint);
        const PolicyLoad loaded = Policy::loadText(text, u"bad.yaml"_s);
        QVERIFY2(!loaded.policy, qPrintable(dumpDiagnostics(loaded.diagnostics)));
        const Diagnostic *d = findDiagnostic(loaded.diagnostics, code);
        QVERIFY2(d, qPrintable(u"no %1 among:\n"_s.arg(code) + dumpDiagnostics(loaded.diagnostics)));
        QVERIFY(d->isError());
        QCOMPARE(d->file, u"bad.yaml"_s);
        QCOMPARE(d->line, line);
        QCOMPARE(d->column, column);
        QVERIFY2(d->message.contains(message), qPrintable(d->message));
        QVERIFY2(!d->hint.isEmpty() && d->hint.contains(hint), qPrintable(d->hint));
        // The line a log and the server's refusal carry: located, then what to do.
        QVERIFY(policyProblemLine(*d).startsWith(u"bad.yaml:%1:%2: error[%3]: "_s.arg(line).arg(column).arg(code)));
        QVERIFY(policyProblemLine(*d).endsWith(u"; "_s + d->hint));
    }

    void aGroupGivenTwiceIsOneProblemNotTwo()
    {
        const QByteArray text = "groups:\n  sre: [alice]\n  sre: [bob]\nrules:\n  - allow: [view]\n"
                                "    subjects: [\"group:sre\"]\n";
        const PolicyLoad loaded = Policy::loadText(text, u"p.yaml"_s);
        QVERIFY(!loaded.policy);
        QCOMPARE(loaded.diagnostics.size(), 1);
        QCOMPARE(loaded.diagnostics.front().code, u"duplicate-key"_s);
    }

    void everyProblemIsFoundNotJustTheFirst()
    {
        const QByteArray text = "groups: { sre: [alice] }\n"
                                "rules:\n"
                                "  - allow: [aprove]\n"
                                "    subjects: [\"group:sres\"]\n"
                                "  - deny: [view]\n"
                                "    subjects: [bob]\n"
                                "    tiers: [nevr]\n";
        const PolicyLoad loaded = Policy::loadText(text, u"bad.yaml"_s);
        QVERIFY(!loaded.policy);
        QStringList codes;
        for (const Diagnostic &d : loaded.diagnostics)
            codes << u"%1:%2 %3"_s.arg(d.line).arg(d.column).arg(d.code);
        QCOMPARE(codes, QStringList({ u"3:13 unknown-verb"_s, u"4:16 undefined-group"_s, u"7:13 invalid-glob"_s }));
    }

    void hostile_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("message");

        QByteArray bomb = "a: &a [x, x, x, x, x, x, x, x, x, x]\n";
        for (char c = 'b'; c <= 'j'; ++c)
            bomb += QByteArray(1, c) + ": &" + QByteArray(1, c) + " [*" + QByteArray(1, char(c - 1)) + ", *"
                + QByteArray(1, char(c - 1)) + ", *" + QByteArray(1, char(c - 1)) + ", *" + QByteArray(1, char(c - 1))
                + "]\n";
        bomb = "groups:\n" + bomb.replace("\n", "\n  ").prepend("  ").chopped(2) + "rules: []\n";
        QTest::addRow("alias bomb") << bomb << u"alias-bomb"_s << u"more than 100000 nodes"_s;
        QTest::addRow("recursive alias") << QByteArray("groups: &g { sre: *g }\nrules: []\n") << u"recursive-alias"_s
                                         << u""_s;
        QTest::addRow("nested 10,000 deep")
            << QByteArray(10'000, '[') + QByteArray(10'000, ']') << u"too-deep"_s << u"more than 32 levels"_s;
        QTest::addRow("over 1 MiB") << QByteArray("rules: []\n") + QByteArray(maxPolicyBytes, '#')
                                    << u"file-too-large"_s << u"over 1 MiB, the limit for a policy"_s;
        QTest::addRow("NUL bytes") << QByteArray("rules: []\n\0\0", 12) << u"control-character"_s << u""_s;
        QByteArray many = "rules:\n";
        for (int i = 0; i < 300; ++i)
            many += "  - allow: [nope]\n    subjects: [alice]\n";
        QTest::addRow("thousands of problems") << many << u"too-many-problems"_s << u"more than 200 problems"_s;
    }

    void hostile()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, code);
        QFETCH(QString, message);
        QElapsedTimer timer;
        timer.start();
        const PolicyLoad loaded = Policy::loadText(text, u"evil.yaml"_s);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(!loaded.policy);
        QVERIFY(loaded.diagnostics.size() <= 201);
        const Diagnostic *d = findDiagnostic(loaded.diagnostics, code);
        QVERIFY2(d, qPrintable(dumpDiagnostics(loaded.diagnostics)));
        QVERIFY2(d->message.contains(message), qPrintable(d->message));
        QVERIFY(d->line >= 1);
    }

    void aRuleNarrowedByWhatAVerbNeverNamesNeverAppliesToIt_data()
    {
        QTest::addColumn<QByteArray>("rule");
        QTest::addColumn<QString>("message"); // empty: no warning
        QTest::addRow("admin by service") << QByteArray("deny: [admin]\n    services: [\"payments-*\"]")
                                          << u"`admin` names no service: this rule never denies it"_s;
        QTest::addRow("reset_breaker by tier") << QByteArray("allow: [reset_breaker]\n    tiers: [safe]")
                                               << u"`reset_breaker` names no tier: this rule never allows it"_s;
        QTest::addRow("cancel by tier") << QByteArray("allow: [approve, cancel]\n    tiers: [safe, approve]")
                                        << u"`cancel` names no tier: this rule never allows it"_s;
        QTest::addRow("install_runbook by service and tier")
            << QByteArray("deny: [install_runbook, admin]\n    services: [x]\n    runbooks: [y]")
            << u"`install_runbook` names no service: this rule never denies it"_s;
        QTest::addRow("a star covers no object")
            << QByteArray("allow: [view, admin]\n    services: [\"*\"]") << QString();
        QTest::addRow("what the verbs name")
            << QByteArray("allow: [approve, deny]\n    services: [x]\n    tiers: [safe]") << QString();
    }

    void aRuleNarrowedByWhatAVerbNeverNamesNeverAppliesToIt()
    {
        QFETCH(QByteArray, rule);
        QFETCH(QString, message);
        const QByteArray text = "rules:\n  - subjects: [bob]\n    " + rule + "\n";
        const PolicyLoad loaded = Policy::loadText(text, u"p.yaml"_s);
        QVERIFY2(loaded.policy, qPrintable(dumpDiagnostics(loaded.diagnostics)));
        if (message.isEmpty()) {
            QVERIFY2(loaded.diagnostics.isEmpty(), qPrintable(dumpDiagnostics(loaded.diagnostics)));
            return;
        }
        QVERIFY(!loaded.diagnostics.isEmpty());
        const Diagnostic &d = loaded.diagnostics.front();
        QCOMPARE(d.code, u"never-applies"_s);
        QVERIFY(!d.isError());
        QCOMPARE(d.line, 2);
        QCOMPARE(d.column, 5);
        QCOMPARE(d.message, message);
        QVERIFY2(d.hint.startsWith(u"give `"_s), qPrintable(d.hint));
    }

    void whatTheWarningIsAbout()
    {
        // bob may administer; the deny meant for payments refuses nothing, since admin names no service.
        const QByteArray text = "rules:\n"
                                "  - allow: [admin]\n"
                                "    subjects: [bob]\n"
                                "  - deny: [admin]\n"
                                "    subjects: [bob]\n"
                                "    services: [\"payments-*\"]\n";
        const PolicyLoad loaded = Policy::loadText(text, u"p.yaml"_s);
        QVERIFY(loaded.policy);
        QCOMPARE(loaded.diagnostics.size(), 1);
        QCOMPARE(loaded.diagnostics.front().line, 4);
        QVERIFY(loaded.policy->decide(u"bob"_s, PolicyVerb::Admin, {}).allowed);
    }

    void noBytesCrashOrHang()
    {
        // The team policy, mutated 3,000 times (a fixed seed): bytes flipped, YAML's own
        // characters inserted, runs deleted. Every answer is a policy or located errors.
        QRandomGenerator random(21);
        const QByteArray alphabet = "[]{}:,-*&!|>'\"#?%@` \n\tagx0\xff";
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 3000; ++i) {
            QByteArray text = team;
            for (int edits = random.bounded(1, 6); edits > 0; --edits) {
                const int at = random.bounded(int(text.size()));
                switch (random.bounded(3)) {
                case 0:
                    text[at] = char(random.bounded(256));
                    break;
                case 1:
                    text.insert(at, alphabet[random.bounded(int(alphabet.size()))]);
                    break;
                default:
                    text.remove(at, random.bounded(1, 20));
                }
            }
            const PolicyLoad loaded = Policy::loadText(text, u"fuzz.yaml"_s);
            QVERIFY2(loaded.policy.has_value() == !hasErrors(loaded.diagnostics), text.constData());
            for (const Diagnostic &d : loaded.diagnostics)
                QVERIFY(!d.code.isEmpty() && !d.message.isEmpty() && d.line >= 0 && d.column >= 0);
            if (loaded.policy)
                loaded.policy->decide(u"alice"_s, PolicyVerb::Approve, on(u"orders-db"_s, u"approve"_s));
        }
        QVERIFY2(timer.elapsed() < 20'000, qPrintable(QString::number(timer.elapsed())));
    }

    void aLargeTeamsPolicyDecidesQuickly()
    {
        // 2,000 rules (12,000 nodes, well under the cap): a decision reads every one of them.
        QByteArray text = "groups:\n  sre: [alice]\nrules:\n";
        for (int i = 0; i < 2000; ++i)
            text += "  - allow: [approve]\n    subjects: [\"user" + QByteArray::number(i)
                + "\", \"group:sre\"]\n    services: [\"svc" + QByteArray::number(i) + "-*\"]\n";
        QStringList errors;
        const auto policy = Policy::parse(text, u"big.yaml"_s, &errors);
        QVERIFY2(policy, qPrintable(errors.join(u'\n')));
        QElapsedTimer timer;
        timer.start();
        for (int i = 0; i < 100; ++i)
            QVERIFY(!policy->decide(u"mallory"_s, PolicyVerb::Approve, on(u"svc1999-db"_s, u"approve"_s)).allowed);
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
        const PolicyDecision last = policy->decide(u"alice"_s, PolicyVerb::Approve, on(u"svc1999-db"_s));
        QVERIFY(last.allowed);
        QCOMPARE(last.rule, u"big.yaml:%1:5"_s.arg(4 + 3 * 1999));
    }
};

QTEST_GUILESS_MAIN(TestPolicy)
#include "tst_policy.moc"
