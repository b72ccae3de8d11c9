// Who may do what on the team server (docs/team.md, "Policy"): three people with API
// tokens on one server over TLS, on the engine and the simulated fleet in virtual time.
// The policy is enforced at hello (view) and on every decision; each refusal names the
// rule and is in the audit trail with the subject and the token's id, never the token. A
// reload that does not lint leaves the policy in force; an empty policy grants nothing.
#include "engine/runbook/runbookloader.h"
#include "engine/store/sqliterunbooks.h"
#include "engine/store/sqlitetokens.h"
#include "server/teamaccess.h"
#include "server/tokengate.h"
#include "testclient.h"
#include "tests/support/teamserverrig.h"

#include <QFile>
#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using antibody::test::SelfSignedCertificate;
using antibody::test::TestClient;
using Rig = antibody::test::TeamServerRig;

namespace {

// A small team's policy: the SREs decide, the viewers look.
const QByteArray teamPolicy = R"(groups:
  sre: [alice, bob]
  viewers: [carol]
rules:
  - allow: [view]
    subjects: ["group:sre", "group:viewers"]
  - allow: [approve, deny, cancel, reset_breaker]
    subjects: ["group:sre"]
  - deny: [approve]
    subjects: [bob]
    runbooks: ["region-*"]
)";

struct People
{
    People(TokenRecords &records, TimePoint now)
    {
        for (IssuedToken *t : { &alice, &bob, &carol, &dave, &erin }) {
            const QString name = t == &alice ? u"alice"_s
                : t == &bob                  ? u"bob"_s
                : t == &carol                ? u"carol"_s
                : t == &dave                 ? u"dave"_s
                                             : u"erin"_s;
            *t = ApiTokens::issue(name, {}, u"root"_s, now, ApiTokens::defaultLifetime);
            ok = records.createToken(t->record).done && ok;
        }
        ok = records.revokeToken(erin.record.id, u"root"_s, now).done && ok;
    }
    IssuedToken alice, bob, carol, dave, erin; // erin's token is revoked; dave is in no rule
    bool ok = true;
};

// The rig's server checking the tokens of five people in its store.
struct Team
{
    explicit Team(const SelfSignedCertificate &certificate)
        : rig(certificate)
        , records(rig.store->session())
        , people(records, rig.clock.now())
        , gate(records, rig.clock, {})
    {
        rig.checkTokensWith(gate);
    }
    Rig rig;
    SqliteTokens records;
    People people;
    TokenGate gate;
};

QString write(const QString &file, const QByteArray &text)
{
    QFile f(file);
    if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
        qFatal("cannot write %s", qPrintable(file));
    return file;
}

} // namespace

class TestTeamPolicy : public QObject
{
    Q_OBJECT

    SelfSignedCertificate m_certificate;

    // A console of `who`: connected and greeted with its token, or refused.
    std::unique_ptr<TestClient> console(Rig &rig, const IssuedToken &who)
    {
        auto client = std::make_unique<TestClient>(m_certificate.certPem);
        if (!client->open(rig.server->api().url()))
            qFatal("cannot connect");
        client->send(QJsonObject {
            { u"type"_s, u"hello"_s }, { u"protocol"_s, 1 }, { u"name"_s, u"mallory"_s }, { u"token"_s, who.text } });
        const bool answered = QTest::qWaitFor(
            [&] { return !client->ofType(u"welcome"_s).isEmpty() || !client->ofType(u"refused"_s).isEmpty(); }, 5'000);
        if (!answered)
            qFatal("the server answered %s's hello with neither welcome nor refused", qPrintable(who.record.subject));
        return client;
    }

    static QString refusalOf(const TestClient &client)
    {
        const QList<QJsonObject> refused = client.ofType(u"refused"_s);
        return refused.isEmpty() ? QString() : refused.front().value(u"reason"_s).toString();
    }

    static QJsonObject approve(TestClient &client, const Proposal &p)
    {
        return client.command(QJsonObject {
            { u"type"_s, u"approve"_s }, { u"proposal"_s, p.id }, { u"fingerprint"_s, p.plan.fingerprint } });
    }

    // The audit rows of the policy's refusals.
    static QList<AuditLog::StoredEvent> refusals(Rig &rig)
    {
        QList<AuditLog::StoredEvent> out;
        for (const AuditLog::StoredEvent &e : rig.store->eventsAfter(0, 100'000)) {
            if (e.kind == u"policy_refused"_s)
                out << e;
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_certificate.ok(), qPrintable(m_certificate.error)); }

    void theViewerAndTheDeniedAreRefusedWithTheRuleAndTheSreApproves()
    {
        Team team(m_certificate);
        QVERIFY(team.people.ok);
        Rig &rig = team.rig;
        const People &people = team.people;
        const QString policyFile = write(rig.dir.filePath(u"policy.yaml"_s), teamPolicy);
        QStringList problems;
        QVERIFY2(rig.server->access().load(policyFile, &problems), qPrintable(problems.join(u'\n')));

        // Dave is in no rule: not even looking is granted, and he is told by which rule.
        auto dave = console(rig, people.dave);
        QVERIFY(dave->ofType(u"welcome"_s).isEmpty());
        QVERIFY2(refusalOf(*dave).startsWith(u"refused by the policy: "_s) && refusalOf(*dave).contains(u"dave"_s)
                && refusalOf(*dave).contains(u"view"_s),
            qPrintable(refusalOf(*dave)));
        // Erin's token was revoked: refused before the policy is asked.
        auto erin = console(rig, people.erin);
        QVERIFY2(refusalOf(*erin).contains(u"revoked"_s), qPrintable(refusalOf(*erin)));

        auto alice = console(rig, people.alice);
        auto bob = console(rig, people.bob);
        auto carol = console(rig, people.carol);
        for (TestClient *c : { alice.get(), bob.get(), carol.get() })
            QVERIFY(!c->ofType(u"welcome"_s).isEmpty());

        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY(incident);
        const Proposal plan = *rig.run->engine().proposal(incident->proposalId);
        rig.wait(3min); // each reads the plan

        // Carol views; approving is not hers. The rule is named: the default.
        const QJsonObject byCarol = approve(*carol, plan);
        QCOMPARE(byCarol.value(u"ok"_s).toBool(true), false);
        QCOMPARE(byCarol.value(u"status"_s).toString(), u"refused"_s);
        QVERIFY2(byCarol.value(u"reason"_s).toString().startsWith(u"refused by the policy: "_s),
            qPrintable(byCarol.value(u"reason"_s).toString()));
        // Bob is an SRE, but a deny names him for region runbooks: deny wins, with its line.
        const QJsonObject byBob = approve(*bob, plan);
        QCOMPARE(byBob.value(u"ok"_s).toBool(true), false);
        QVERIFY2(byBob.value(u"reason"_s).toString().contains(u"policy.yaml:9:5"_s),
            qPrintable(byBob.value(u"reason"_s).toString()));
        QCOMPARE(rig.run->engine().incident(incident->id)->state, IncidentState::AwaitingApproval);

        // The audit trail says who (subject and token id) was refused what, and by which rule.
        const QList<AuditLog::StoredEvent> refused = refusals(rig);
        QCOMPARE(refused.size(), 3); // dave's view, carol's and bob's approvals
        const QJsonObject bobs = refused.at(2).data;
        QCOMPARE(bobs.value(u"subject"_s).toString(), u"bob"_s);
        QCOMPARE(bobs.value(u"key_id"_s).toString(), people.bob.record.id);
        QCOMPARE(bobs.value(u"verb"_s).toString(), u"approve"_s);
        QCOMPARE(bobs.value(u"runbook"_s).toString(), u"region-failover"_s);
        QVERIFY(bobs.value(u"rule"_s).toString().startsWith(policyFile + u":9:5"_s));
        QCOMPARE(refused.at(2).incidentId, incident->id);
        QVERIFY2(refused.at(2).detail.contains(u"bob (API token id %1)"_s.arg(people.bob.record.id)),
            qPrintable(refused.at(2).detail));
        for (const AuditLog::StoredEvent &e : refused) {
            for (const IssuedToken *t : { &people.alice, &people.bob, &people.carol, &people.dave })
                QVERIFY(!e.detail.contains(t->text) && !QJsonDocument(e.data).toJson().contains(t->text.toUtf8()));
        }

        // Alice approves: executing, in her name (not the hello's "mallory").
        const QJsonObject byAlice = approve(*alice, plan);
        QVERIFY2(byAlice.value(u"ok"_s).toBool(), qPrintable(byAlice.value(u"reason"_s).toString()));
        QTRY_VERIFY(rig.stored(u"approved"_s, incident->id, u"alice"_s));
        QVERIFY(!rig.stored(u"approved"_s, incident->id, u"mallory"_s));
        // The approval's row names the token it came through, by its id, never the token.
        for (const AuditLog::StoredEvent &e : rig.store->eventsAfter(0, 100'000)) {
            if (e.kind == u"approved"_s && e.incidentId == incident->id) {
                QCOMPARE(e.data.value(u"key_id"_s).toString(), people.alice.record.id);
                QVERIFY(!QJsonDocument(e.data).toJson().contains(people.alice.text.toUtf8()));
            }
        }
    }

    // Four eyes from the policy: `approvals: approve: 2` makes the approve-tier plan wait
    // for two people. Alice's approval counts once (her second is refused and says why);
    // Bob's, from another console, starts it: once, with both names in the audit trail.
    void theTiersApprovalsAreDistinctPeopleFromTwoConsoles()
    {
        Team team(m_certificate);
        QVERIFY(team.people.ok);
        Rig &rig = team.rig;
        const People &people = team.people;
        QByteArray fourEyes = teamPolicy;
        fourEyes.replace("rules:\n", "approvals:\n  approve: 2\nrules:\n");
        fourEyes.truncate(fourEyes.indexOf("  - deny: [approve]"));
        QStringList problems;
        QVERIFY2(rig.server->access().load(write(rig.dir.filePath(u"policy.yaml"_s), fourEyes), &problems),
            qPrintable(problems.join(u'\n')));

        auto alice = console(rig, people.alice);
        auto bob = console(rig, people.bob);
        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY(incident);
        const Proposal plan = *rig.run->engine().proposal(incident->proposalId);
        QCOMPARE(plan.approvalsRequired, 2);
        rig.wait(4min); // both read the plan

        const QJsonObject first = approve(*alice, plan);
        QVERIFY2(first.value(u"ok"_s).toBool(), qPrintable(first.value(u"reason"_s).toString()));
        QCOMPARE(first.value(u"status"_s).toString(), u"needs_more"_s);
        const QJsonObject again = approve(*alice, plan);
        QCOMPARE(again.value(u"status"_s).toString(), u"refused"_s);
        QVERIFY2(
            again.value(u"reason"_s).toString().contains(u"alice"_s), qPrintable(again.value(u"reason"_s).toString()));
        QCOMPARE(rig.run->engine().incident(incident->id)->state, IncidentState::AwaitingApproval);

        rig.wait(2min); // Bob reads it again before he agrees
        const QJsonObject second = approve(*bob, plan);
        QVERIFY2(second.value(u"ok"_s).toBool(), qPrintable(second.value(u"reason"_s).toString()));
        QCOMPARE(second.value(u"status"_s).toString(), u"executing"_s);
        QTRY_VERIFY(rig.stored(u"step_started"_s, incident->id, {}));
        const QList<ExecutionRecord> runs = [&] {
            QList<ExecutionRecord> out;
            if (const auto e = rig.store->findExecution(plan.id))
                out << *e;
            return out;
        }();
        QCOMPARE(runs.size(), 1);
        QCOMPARE(runs.front().approvedBy, u"alice, bob"_s);
    }

    // Break-glass: the plan needs two people and only alice is there. She runs it alone,
    // with a reason; the policy decides who may (bob may not); it runs once, in her name
    // alone; the audit row says BREAK-GLASS with the reason; the incident is marked for
    // review on every console; the team's notifier hears it at once.
    void breakGlassRunsBelowTheQuorumMarkedForReviewAndTold()
    {
        Team team(m_certificate);
        QVERIFY(team.people.ok);
        Rig &rig = team.rig;
        QByteArray policy = teamPolicy;
        policy.replace("rules:\n", "approvals:\n  approve: 2\nrules:\n");
        policy.append("  - allow: [break_glass]\n    subjects: [alice]\n");
        QStringList problems;
        QVERIFY2(rig.server->access().load(write(rig.dir.filePath(u"policy.yaml"_s), policy), &problems),
            qPrintable(problems.join(u'\n')));
        auto alice = console(rig, team.people.alice);
        auto bob = console(rig, team.people.bob);
        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY(incident);
        const Proposal plan = *rig.run->engine().proposal(incident->proposalId);
        QCOMPARE(plan.approvalsRequired, 2);
        rig.wait(10min); // nobody else answers the page
        const auto glass = [&](TestClient &who, const QString &reason) {
            return who.command(QJsonObject { { u"type"_s, u"break_glass"_s }, { u"proposal"_s, plan.id },
                { u"fingerprint"_s, plan.plan.fingerprint }, { u"reason"_s, reason } });
        };

        const QJsonObject byBob = glass(*bob, u"I am sure"_s);
        QCOMPARE(byBob.value(u"ok"_s).toBool(true), false);
        QVERIFY2(byBob.value(u"reason"_s).toString().contains(u"bob may not break_glass"_s)
                || byBob.value(u"reason"_s).toString().contains(u"no rule allows bob to break_glass"_s),
            qPrintable(byBob.value(u"reason"_s).toString()));
        const QJsonObject noReason = glass(*alice, u"  "_s);
        QCOMPARE(noReason.value(u"ok"_s).toBool(true), false);
        QVERIFY2(noReason.value(u"reason"_s).toString().contains(u"needs a reason"_s),
            qPrintable(noReason.value(u"reason"_s).toString()));
        QCOMPARE(rig.run->engine().incident(incident->id)->state, IncidentState::AwaitingApproval);

        const auto notices = [&] { return rig.run->environment().pager()->received(); };
        const qsizetype noticesBefore = notices().size();
        const QJsonObject byAlice = glass(*alice, u"region down 20 min, nobody else answers"_s);
        QVERIFY2(byAlice.value(u"ok"_s).toBool(), qPrintable(byAlice.value(u"reason"_s).toString()));
        QCOMPARE(byAlice.value(u"status"_s).toString(), u"executing"_s);
        const auto run = rig.store->findExecution(plan.id);
        QVERIFY(run);
        QCOMPARE(run->approvedBy, u"alice"_s);

        const auto approved = [&] {
            for (const AuditLog::StoredEvent &e : rig.store->eventsAfter(0, 100'000)) {
                if (e.kind == u"approved"_s && e.incidentId == incident->id)
                    return std::optional(e);
            }
            return std::optional<AuditLog::StoredEvent>();
        }();
        QVERIFY(approved);
        QVERIFY2(approved->detail.startsWith(u"BREAK-GLASS: alice runs plan"_s)
                && approved->detail.contains(u"1 of the 2 approvals"_s),
            qPrintable(approved->detail));
        QCOMPARE(approved->data.value(u"break_glass"_s).toBool(), true);
        QCOMPARE(approved->data.value(u"review"_s).toBool(), true);
        QCOMPARE(approved->data.value(u"reason"_s).toString(), u"region down 20 min, nobody else answers"_s);

        // Marked on the record every console holds, and told to the team's notifier now.
        const QString mark = rig.run->engine().incident(incident->id)->annotations.value(u"review"_s);
        QVERIFY2(mark.startsWith(u"break-glass by alice with 1 of 2 approvals"_s), qPrintable(mark));
        QTRY_VERIFY(std::any_of(bob->messages.cbegin(), bob->messages.cend(), [&](const QJsonObject &m) {
            return m.value(u"type"_s).toString() == u"incident"_s
                && m.value(u"incident"_s).toObject().value(u"annotations"_s).toObject().value(u"review"_s).toString()
                == mark;
        }));
        QTRY_VERIFY(notices().size() > noticesBefore);
        const Notification told = notices().at(noticesBefore).notification;
        QVERIFY2(told.summary.startsWith(u"BREAK-GLASS on "_s + incident->id), qPrintable(told.summary));
        QCOMPARE(told.severity, u"high"_s);
    }

    // A run requested by a person (docs/team.md, "Requesting a run"): the region runbook
    // is a level 1 checklist here, so the engine only shows its plan. The viewer may not
    // request it (the rule says why); alice requests it with a reason; her own approval is
    // refused, however long she waits; bob approves after reading it, and it runs once, in
    // his name, with her request in the audit trail.
    void theRequesterOfARunNeverCountsAsItsApprover()
    {
        Team team(m_certificate);
        QVERIFY(team.people.ok);
        Rig &rig = team.rig;
        QByteArray policy = teamPolicy;
        policy.replace("  - allow: [approve, deny, cancel, reset_breaker]\n    subjects: [\"group:sre\"]\n",
            "  - allow: [approve, deny, cancel, reset_breaker, request]\n    subjects: [\"group:sre\"]\n");
        policy.truncate(policy.indexOf("  - deny: [approve]"));
        QStringList problems;
        QVERIFY2(rig.server->access().load(write(rig.dir.filePath(u"policy.yaml"_s), policy), &problems),
            qPrintable(problems.join(u'\n')));
        test::makeChecklist(rig.run->engine(), u"region-failover"_s);
        auto alice = console(rig, team.people.alice);
        auto bob = console(rig, team.people.bob);
        auto carol = console(rig, team.people.carol);
        const auto shown = rig.untilShown(u"region-failover"_s);
        QVERIFY2(shown, "the region runbook never showed its checklist");
        const Proposal plan = *shown;
        const auto request = [&](TestClient &who, const QString &reason) {
            return who.command(QJsonObject { { u"type"_s, u"request"_s }, { u"proposal"_s, plan.id },
                { u"fingerprint"_s, plan.plan.fingerprint }, { u"reason"_s, reason } });
        };

        const QJsonObject byCarol = request(*carol, u"it looks bad"_s);
        QCOMPARE(byCarol.value(u"ok"_s).toBool(true), false);
        QVERIFY2(byCarol.value(u"reason"_s).toString().contains(u"carol"_s)
                && byCarol.value(u"reason"_s).toString().contains(u"request"_s),
            qPrintable(byCarol.value(u"reason"_s).toString()));
        const QJsonObject noReason = request(*alice, u" "_s);
        QCOMPARE(noReason.value(u"ok"_s).toBool(true), false);
        QVERIFY2(noReason.value(u"reason"_s).toString().contains(u"needs a reason"_s),
            qPrintable(noReason.value(u"reason"_s).toString()));

        const QJsonObject byAlice = request(*alice, u"eu-west-1 is down; the checklist by hand takes 20 min"_s);
        QVERIFY2(byAlice.value(u"ok"_s).toBool(), qPrintable(byAlice.value(u"reason"_s).toString()));
        QCOMPARE(byAlice.value(u"status"_s).toString(), u"needs_more"_s);
        rig.wait(5s); // planned again on fresh data before it waits
        const Proposal waiting = *rig.run->engine().proposal(plan.id);
        QCOMPARE(waiting.decision.mode, Mode::Approve);
        QCOMPARE(waiting.requestedBy, u"alice"_s);
        QVERIFY(rig.stored(u"run_requested"_s, plan.incidentId, u"alice asks the engine to run plan"_s));

        rig.wait(3min);
        const QJsonObject own = approve(*alice, waiting);
        QCOMPARE(own.value(u"ok"_s).toBool(true), false);
        QVERIFY2(own.value(u"reason"_s).toString().contains(u"alice requested this action"_s),
            qPrintable(own.value(u"reason"_s).toString()));
        QVERIFY(!rig.store->findExecution(plan.id));

        rig.wait(4min); // bob reads it, then agrees
        const Proposal now = *rig.run->engine().proposal(rig.run->engine().incident(plan.incidentId)->proposalId);
        const QJsonObject byBob = approve(*bob, now);
        QVERIFY2(byBob.value(u"ok"_s).toBool(), qPrintable(byBob.value(u"reason"_s).toString()));
        QCOMPARE(byBob.value(u"status"_s).toString(), u"executing"_s);
        const auto run = rig.store->findExecution(now.id);
        QVERIFY(run);
        QCOMPARE(run->approvedBy, u"bob"_s);
    }

    // Installing a runbook is a verb of the policy, on the runbook's name and its highest
    // tier: the viewer is refused with the rule (and the refusal audited), alice installs;
    // what does not load is refused with every problem located in the file she named.
    void installingARunbookIsAVerbOfThePolicy()
    {
        Team team(m_certificate);
        QVERIFY(team.people.ok);
        Rig &rig = team.rig;
        QByteArray policy = teamPolicy;
        policy.append("  - allow: [install_runbook]\n    subjects: [alice]\n    tiers: [safe]\n");
        QStringList problems;
        QVERIFY2(rig.server->access().load(write(rig.dir.filePath(u"policy.yaml"_s), policy), &problems),
            qPrintable(problems.join(u'\n')));
        // The host's part, as antibody-server does it: kept in the store, loaded by the engine.
        SqliteRunbooks installed(rig.store->session());
        rig.server->setRunbookInstaller([&](InstalledRunbook &runbook) {
            runbook.installedAt = rig.clock.now();
            QString error;
            if (!installed.installRunbook(runbook, &error))
                return error;
            QList<Runbook> runbooks = rig.run->engine().runbooks();
            runbooks << *loadRunbookText(runbook.yaml, runbook.name).runbook;
            rig.run->engine().setRunbooks(runbooks);
            return QString();
        });
        QFile shipped(QStringLiteral(ANTIBODY_SOURCE) + u"/runbooks/pod-crashloop-restart.yaml"_s);
        QVERIFY(shipped.open(QIODevice::ReadOnly));
        const QString yaml = QString::fromUtf8(
            shipped.readAll().replace("name: pod-crashloop-restart", "name: checkout-crashloop-restart"));
        const QJsonObject install { { u"type"_s, u"install_runbook"_s }, { u"yaml"_s, yaml },
            { u"file"_s, u"checkout.yaml"_s } };

        auto carol = console(rig, team.people.carol);
        const QJsonObject byCarol = carol->command(install);
        QCOMPARE(byCarol.value(u"ok"_s).toBool(true), false);
        QVERIFY2(byCarol.value(u"reason"_s)
                     .toString()
                     .startsWith(u"refused by the policy: no rule allows carol to install_runbook on runbook "
                                 u"checkout-crashloop-restart, tier safe"_s),
            qPrintable(byCarol.value(u"reason"_s).toString()));
        QVERIFY(installed.installedRunbooks().isEmpty());

        auto alice = console(rig, team.people.alice);
        QJsonObject broken = install;
        broken.insert(u"yaml"_s, u"name: checkout\nlevel: 9\n"_s);
        const QJsonObject refused = alice->command(broken);
        QCOMPARE(refused.value(u"ok"_s).toBool(true), false);
        const QJsonArray located = refused.value(u"problems"_s).toArray();
        QVERIFY(located.size() >= 2);
        QVERIFY2(std::any_of(located.cbegin(), located.cend(),
                     [](const QJsonValue &p) {
                         return p.toString().startsWith(u"checkout.yaml:2:8: error[out-of-range]"_s);
                     }),
            QJsonDocument(located).toJson().constData());

        // The name is the person's input: a path gives its base name; control characters,
        // a markup of quotes, a name too long or not text give no name at all, never a
        // forged location.
        const QList<std::pair<QJsonValue, QString>> names {
            { u"../../../etc/antibody/policy.yaml"_s, u"policy.yaml:1:1: "_s },
            { u"a.yaml:9:9: error[forged]\nb.yaml"_s, u"the runbook alice sent:1:1: "_s },
            { u"\u202Eevil.yaml"_s, u"the runbook alice sent:1:1: "_s },
            { QString(10'000, u'x'), QString(200, u'x') + u":1:1: "_s },
            { QJsonValue(42), u"the runbook alice sent:1:1: "_s },
            { QJsonValue(QJsonArray { u"x.yaml"_s }), u"the runbook alice sent:1:1: "_s },
        };
        for (const auto &[name, where] : names) {
            QJsonObject hostile = broken;
            hostile.insert(u"file"_s, name);
            const QJsonObject answer = alice->command(hostile);
            QCOMPARE(answer.value(u"ok"_s).toBool(true), false);
            const QString first = answer.value(u"problems"_s).toArray().first().toString();
            QVERIFY2(first.startsWith(where), qPrintable(first.left(300)));
        }

        const QJsonObject byAlice = alice->command(install);
        QVERIFY2(byAlice.value(u"ok"_s).toBool(), qPrintable(byAlice.value(u"reason"_s).toString()));
        QCOMPARE(byAlice.value(u"runbook"_s).toString(), u"checkout-crashloop-restart"_s);
        const QList<InstalledRunbook> kept = installed.installedRunbooks();
        QCOMPARE(kept.size(), 1);
        QCOMPARE(kept.front().installedBy, u"alice"_s);
        QCOMPARE(kept.front().sha256, byAlice.value(u"sha256"_s).toString());
        QCOMPARE(kept.front().yaml, yaml.toUtf8());
        QVERIFY(rig.run->engine().runbooks().size() > 0);
        QTRY_VERIFY(
            rig.stored(u"runbook_installed"_s, {}, u"alice installed the runbook checkout-crashloop-restart"_s));
        QTRY_VERIFY(rig.stored(u"policy_refused"_s, {}, u"carol"_s));
    }

    // A reload with a typo is refused with the place of the typo; the policy in force
    // stays, and decides as before. An empty policy then grants nothing.
    void aTypoLeavesThePolicyInForceAndAnEmptyOneGrantsNothing()
    {
        Team team(m_certificate);
        QVERIFY(team.people.ok);
        Rig &rig = team.rig;
        const People &people = team.people;
        const QString policyFile = write(rig.dir.filePath(u"policy.yaml"_s), teamPolicy);
        QStringList problems;
        QVERIFY(rig.server->access().load(policyFile, &problems));

        QByteArray typo = teamPolicy;
        typo.replace("allow: [view]", "alow: [view]");
        write(policyFile, typo);
        QVERIFY(!rig.server->access().load(policyFile, &problems));
        QVERIFY2(!problems.isEmpty() && problems.front().startsWith(policyFile + u":5:5: error"_s),
            qPrintable(problems.join(u'\n')));
        auto carol = console(rig, people.carol);
        QVERIFY2(!carol->ofType(u"welcome"_s).isEmpty(), "the policy in force still lets carol view");

        write(policyFile, "rules: []\n");
        rig.server->access().load(policyFile, &problems);
        QVERIFY(rig.server->access().enforced());
        auto alice = console(rig, people.alice);
        QVERIFY2(refusalOf(*alice).startsWith(u"refused by the policy: "_s), qPrintable(refusalOf(*alice)));
        // Carol's connection was admitted before; her decisions meet the policy now.
        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY(incident);
        const QJsonObject cancelled
            = carol->command(QJsonObject { { u"type"_s, u"cancel"_s }, { u"incident"_s, incident->id } });
        QCOMPARE(cancelled.value(u"ok"_s).toBool(true), false);
        QVERIFY2(cancelled.value(u"reason"_s).toString().contains(u"cancel"_s),
            qPrintable(cancelled.value(u"reason"_s).toString()));
        QCOMPARE(rig.run->engine().incident(incident->id)->state, IncidentState::AwaitingApproval);
    }

    // A reload reaches the consoles at once (SIGHUP: TeamServer::reloadPolicy): a plan bob
    // may no longer approve says so on his console without any change of the plan, and
    // carol, whom it no longer lets view, is refused with the rule and disconnected.
    void aReloadIsEnforcedOnTheConsolesAlreadyConnected()
    {
        Team team(m_certificate);
        QVERIFY(team.people.ok);
        Rig &rig = team.rig;
        QByteArray policy = teamPolicy;
        policy.truncate(policy.indexOf("  - deny: [approve]"));
        const QString policyFile = write(rig.dir.filePath(u"policy.yaml"_s), policy);
        QStringList problems;
        QVERIFY2(rig.server->reloadPolicy(policyFile, &problems), qPrintable(problems.join(u'\n')));
        auto bob = console(rig, team.people.bob);
        auto carol = console(rig, team.people.carol);
        QVERIFY(!carol->ofType(u"welcome"_s).isEmpty());
        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY(incident);
        const auto mayApprove = [&](const TestClient &who) {
            const QList<QJsonObject> sent = who.ofType(u"proposal"_s);
            for (auto it = sent.crbegin(); it != sent.crend(); ++it) {
                const QJsonObject p = it->value(u"proposal"_s).toObject();
                if (p.value(u"id"_s).toString() == incident->proposalId)
                    return std::optional(p);
            }
            return std::optional<QJsonObject>();
        };
        QTRY_VERIFY(mayApprove(*bob));
        QCOMPARE(mayApprove(*bob)->value(u"may_approve"_s).toBool(), true);

        QByteArray tighter = policy;
        tighter.replace("  - allow: [view]\n    subjects: [\"group:sre\", \"group:viewers\"]\n",
            "  - allow: [view]\n    subjects: [\"group:sre\"]\n");
        tighter.append("  - deny: [approve]\n    subjects: [bob]\n");
        write(policyFile, tighter);
        const qsizetype bobHad = bob->messages.size();
        QVERIFY2(rig.server->reloadPolicy(policyFile, &problems), qPrintable(problems.join(u'\n')));
        QTRY_VERIFY(bob->messages.size() > bobHad);
        QTRY_COMPARE(mayApprove(*bob)->value(u"may_approve"_s).toBool(true), false);
        QVERIFY2(mayApprove(*bob)->value(u"may_approve_reason"_s).toString().contains(u"bob"_s),
            qPrintable(mayApprove(*bob)->value(u"may_approve_reason"_s).toString()));
        QTRY_VERIFY(!refusalOf(*carol).isEmpty());
        QVERIFY2(refusalOf(*carol).startsWith(u"refused by the policy: "_s), qPrintable(refusalOf(*carol)));
        QTRY_COMPARE(carol->socket.state(), QAbstractSocket::UnconnectedState);
        QTRY_VERIFY(rig.stored(u"policy_refused"_s, {}, u"carol"_s));
        QCOMPARE(rig.run->engine().incident(incident->id)->state, IncidentState::AwaitingApproval);
    }
};

QTEST_MAIN(TestTeamPolicy)
#include "tst_teampolicy.moc"
