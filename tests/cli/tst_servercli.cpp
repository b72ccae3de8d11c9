// antibodyctl --server as a person runs it, against the team server in this process (the
// real engine on the simulated fleet in virtual time, TLS with a throwaway certificate):
// incidents, watch across a dropped connection, approve after minutes of reading, a
// stale approval, deny's reason, cancel and reset-breaker with their refusals and JSON;
// and against servers that are untrusted, absent, mute or hostile, a located error
// within the timeout, never a crash or a hang.
#include "engine/pipeline/incidentid.h"
#include "engine/store/sqlitetokens.h"
#include "server/tokengate.h"
#include "tests/support/clirun.h"
#include "tests/support/jsonlines.h"
#include "tests/support/tcpproxy.h"
#include "tests/support/teamserverrig.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QRegularExpression>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QWebSocket>
#include <QWebSocketServer>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using antibody::test::JsonLines;
using antibody::test::SelfSignedCertificate;
using antibody::test::TcpProxy;
using Rig = antibody::test::TeamServerRig;

namespace {

cli::Run ctl(const QStringList &args, int timeoutMs = 60'000, const QProcessEnvironment &environment = {})
{
    return cli::runServing(QStringLiteral(ANTIBODYCTL), args, timeoutMs, environment);
}

QString wss(quint16 port)
{
    return u"wss://127.0.0.1:%1"_s.arg(port);
}

// A port nothing listens on: taken, then given back.
quint16 freePort()
{
    QTcpServer probe;
    probe.listen(QHostAddress::LocalHost);
    return probe.serverPort();
}

// A WebSocket server over TLS that answers hello with what the test says: a server
// that is not antibody-server, or a hostile one.
struct FakeServer
{
    explicit FakeServer(const SelfSignedCertificate &certificate, QStringList answers)
        : server(u"fake"_s, QWebSocketServer::SecureMode)
    {
        QString error;
        server.setSslConfiguration(*ClientApi::tlsFromFiles(certificate.certFile(), certificate.keyFile(), &error));
        server.listen(QHostAddress::LocalHost);
        QObject::connect(&server, &QWebSocketServer::newConnection, &server, [this, answers] {
            QWebSocket *s = server.nextPendingConnection();
            QObject::connect(s, &QWebSocket::textMessageReceived, s, [s, answers] {
                for (const QString &a : answers)
                    s->sendTextMessage(a);
            });
        });
    }
    QWebSocketServer server;
};

} // namespace

class TestServerCli : public QObject
{
    Q_OBJECT

    SelfSignedCertificate m_certificate;

    QStringList trusted(quint16 port) const
    {
        return { u"--server"_s, wss(port), u"--ca-file"_s, m_certificate.certFile(), u"--timeout"_s, u"5"_s };
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_certificate.ok(), qPrintable(m_certificate.error)); }

    // The table and the JSON name the waiting plan by its proposal and fingerprint, as the server holds it.
    void incidentsListsTheWaitingPlan()
    {
        Rig rig(m_certificate);
        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY(incident);
        const QString fingerprint = rig.run->engine().proposal(incident->proposalId)->plan.fingerprint;

        const cli::Run table = ctl(QStringList { u"incidents"_s } + trusted(rig.server->api().port()));
        QVERIFY2(table.exitCode == 0, qPrintable(u"%1 %2 %3"_s.arg(table.exitCode).arg(table.err, table.out)));
        QVERIFY2(table.out.contains(u"awaiting_approval"_s), qPrintable(table.out));
        QVERIFY2(table.out.contains(IncidentId::shortForm(incident->id)), qPrintable(table.out));
        QVERIFY2(table.out.contains(fingerprint.left(12)), qPrintable(table.out));
        QVERIFY2(!table.out.contains(fingerprint.left(13)), "the table shows 12 digits of the fingerprint");
        QVERIFY2(table.out.contains(u"1 waiting for approval"_s), qPrintable(table.out));

        // --server before the command means the same.
        const cli::Run json = ctl(QStringList { u"--server"_s, wss(rig.server->api().port()), u"incidents"_s,
            u"--ca-file"_s, m_certificate.certFile(), u"--json"_s });
        QVERIFY2(json.exitCode == 0, qPrintable(json.err));
        const QJsonArray incidents = json.json().value(u"incidents"_s).toArray();
        QCOMPARE(
            incidents.size(), rig.run->engine().incidents().size() - [&] {
                int ended = 0;
                for (const Incident &i : rig.run->engine().incidents())
                    ended += isFinal(i.state) ? 1 : 0;
                return ended;
            }());
        bool found = false;
        for (const QJsonValue &v : incidents) {
            const QJsonObject i = v.toObject();
            if (i.value(u"id"_s).toString() != incident->id)
                continue;
            found = true;
            QCOMPARE(i.value(u"waiting_proposal"_s).toObject().value(u"fingerprint"_s).toString(), fingerprint);
        }
        QVERIFY2(found, qPrintable(json.out));
    }

    // The connection drops twice mid-incident, once for minutes of virtual time while the
    // proxy refuses: watch reconnects with the last number it printed, and prints every
    // event the store numbered after its start exactly once, in order.
    void watchAcrossADroppedConnection()
    {
        Rig rig(m_certificate);
        TcpProxy proxy(rig.server->api().port());
        QVERIFY(proxy.listen());
        QProcess child;
        child.setProcessEnvironment(cli::isolatedEnvironment());
        child.start(QStringLiteral(ANTIBODYCTL), QStringList { u"watch"_s, u"--json"_s } + trusted(proxy.port()));
        JsonLines watch(child);
        QTRY_VERIFY2(!watch.read().isEmpty(), qPrintable(watch.err()));
        const QJsonObject snapshot = watch.lines.first();
        QCOMPARE(snapshot.value(u"type"_s).toString(), u"snapshot"_s);
        const qint64 startedAfter = snapshot.value(u"seq"_s).toInteger();

        rig.wait(3min);
        QTRY_VERIFY(!watch.eventSeqs().isEmpty());
        proxy.dropAll(); // a cut: it comes straight back
        rig.wait(1min);
        QTRY_VERIFY2(watch.err().contains(u"reconnected"_s), qPrintable(watch.err()));

        proxy.setRefusing(true);
        proxy.dropAll(); // a longer outage: the incident goes on without it
        const qint64 seenBefore = watch.eventSeqs().last();
        rig.wait(4min);
        QVERIFY2(rig.storedSeqsAfter(seenBefore).size() > 3, "events happened while watch was away");
        QTRY_VERIFY2(watch.err().count(u"reconnecting"_s) >= 3, qPrintable(watch.err()));
        proxy.setRefusing(false);
        rig.wait(1min);
        QTRY_VERIFY_WITH_TIMEOUT(watch.err().count(u"reconnected"_s) == 2, 20'000);

        const QList<qint64> expected = rig.storedSeqsAfter(startedAfter);
        QTRY_COMPARE(watch.eventSeqs().size(), expected.size());
        QCOMPARE(watch.eventSeqs(), expected); // each event once, none skipped, in order
        QVERIFY(proxy.accepted() >= 3);

        child.terminate();
        QTRY_VERIFY(child.state() == QProcess::NotRunning);
        QCOMPARE(child.exitStatus(), QProcess::NormalExit);
        QCOMPARE(child.exitCode(), 0);
        QVERIFY2(watch.err().contains(u"stopped by SIGTERM"_s), qPrintable(watch.err()));
    }

    // A person shows the plan, reads it for three minutes of virtual time and approves
    // exactly it; before that, a stale fingerprint is refused with the server's reason.
    void approveThePlanRead()
    {
        Rig rig(m_certificate);
        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY(incident);
        const QString id = IncidentId::shortForm(incident->id);
        const QStringList server = trusted(rig.server->api().port());

        // Without a terminal the plan is shown, and nothing is approved.
        const cli::Run shown = ctl(QStringList { u"approve"_s, id, u"--name"_s, u"alice"_s } + server);
        QCOMPARE(shown.exitCode, 2);
        QVERIFY2(shown.err.contains(u"no terminal"_s), qPrintable(shown.err));
        QVERIFY2(shown.out.contains(u"guardrail"_s) && shown.out.contains(u"targets:"_s), qPrintable(shown.out));
        const QRegularExpression plan(u"--fingerprint ([0-9a-f]{64})"_s);
        const QString read = plan.match(shown.out).captured(1);
        QVERIFY2(!read.isEmpty(), qPrintable(shown.out));
        QCOMPARE(rig.run->engine().incident(incident->id)->state, IncidentState::AwaitingApproval);

        rig.wait(3min); // Alice reads the blast radius and the steps

        const cli::Run stale = ctl(
            QStringList { u"approve"_s, id, u"--name"_s, u"bob"_s, u"--fingerprint"_s, QString(64, u'0') } + server);
        QCOMPARE(stale.exitCode, 1);
        QVERIFY2(
            stale.err.contains(u"not approved by "_s + wss(rig.server->api().port()) + u": "_s), qPrintable(stale.err));
        QVERIFY2(stale.err.contains(u"is not the plan now"_s), qPrintable(stale.err));

        const cli::Run approved
            = ctl(QStringList { u"approve"_s, id, u"--name"_s, u"alice"_s, u"--fingerprint"_s, read } + server);
        QVERIFY2(approved.exitCode == 0, qPrintable(approved.err + approved.out));
        QVERIFY2(approved.out.contains(u"Approved plan "_s + read.left(12)), qPrintable(approved.out));
        QVERIFY2(approved.out.contains(u"it runs now"_s), qPrintable(approved.out));
        for (int i = 0; i < 120 && rig.run->engine().incident(incident->id)->state != IncidentState::Resolved; ++i)
            rig.wait(5s);
        QCOMPARE(rig.run->engine().incident(incident->id)->state, IncidentState::Resolved);

        // The audit trail over the server names her.
        const cli::Run audit = ctl(QStringList { u"audit"_s, u"--limit"_s, u"5000"_s, u"--json"_s } + server);
        QVERIFY2(audit.exitCode == 0, qPrintable(audit.err));
        bool named = false;
        for (const QJsonValue &e : audit.json().value(u"events"_s).toArray()) {
            named = named
                || (e.toObject().value(u"kind"_s) == u"approved"_s && e.toObject().value(u"incident"_s) == incident->id
                    && e.toObject().value(u"detail"_s).toString().contains(u"alice"_s));
        }
        QVERIFY2(named, qPrintable(audit.out.left(2000)));
        const cli::Run text = ctl(QStringList { u"audit"_s, u"--after"_s, u"0"_s, u"--limit"_s, u"3"_s } + server);
        QVERIFY2(text.exitCode == 0, qPrintable(text.err));
        QVERIFY2(text.out.contains(u"3 events after #0"_s) && text.out.contains(u"--after "_s), qPrintable(text.out));
    }

    void denyNeedsAReason()
    {
        const cli::Run r = ctl({ u"deny"_s, u"INC-12345678"_s, u"--server"_s, wss(freePort()) });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"--reason TEXT is required"_s), qPrintable(r.err));
        const cli::Run local = ctl({ u"deny"_s, u"INC-12345678"_s, u"--reason"_s, u"no"_s });
        QCOMPARE(local.exitCode, 2);
        QVERIFY2(local.err.contains(u"--server URL is required"_s), qPrintable(local.err));
    }

    // Break-glass from a terminal at 3 a.m.: a reason is required before anything is
    // asked; with one, the plan read (its fingerprint) runs, and the line says it is marked.
    void breakGlassWithAReason()
    {
        const cli::Run bare = ctl({ u"break-glass"_s, u"INC-12345678"_s, u"--server"_s, wss(freePort()) });
        QCOMPARE(bare.exitCode, 2);
        QVERIFY2(bare.err.contains(u"--reason TEXT is required"_s), qPrintable(bare.err));

        Rig rig(m_certificate);
        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY(incident);
        rig.wait(5min); // she reads it; nobody else answers
        const QString fingerprint = rig.run->engine().proposal(incident->proposalId)->plan.fingerprint;
        const cli::Run r
            = ctl(QStringList { u"break-glass"_s, IncidentId::shortForm(incident->id), u"--name"_s, u"alice"_s,
                      u"--reason"_s, u"eu-west is down, the others do not answer"_s, u"--fingerprint"_s, fingerprint }
                + trusted(rig.server->api().port()));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.startsWith(u"BREAK-GLASS: plan %1 of %2 runs now"_s.arg(
                     fingerprint.left(12), IncidentId::shortForm(incident->id)))
                && r.out.contains(u"marked for review"_s),
            qPrintable(r.out));
        QTRY_VERIFY(rig.stored(u"approved"_s, incident->id, u"BREAK-GLASS: alice"_s));
    }

    // A checklist (the region runbook at level 1 here) that alice asks the engine to run:
    // her own approval is refused with the reason, bob's runs it.
    void requestAChecklistThenSomeoneElseApproves()
    {
        const cli::Run bare = ctl({ u"request"_s, u"INC-12345678"_s, u"--server"_s, wss(freePort()) });
        QCOMPARE(bare.exitCode, 2);
        QVERIFY2(bare.err.contains(u"--reason TEXT is required"_s), qPrintable(bare.err));

        Rig rig(m_certificate);
        test::makeChecklist(rig.run->engine(), u"region-failover"_s);
        const auto shown = rig.untilShown(u"region-failover"_s);
        QVERIFY2(shown, "the region runbook never showed its checklist");
        const Proposal plan = *shown;
        const QString id = IncidentId::shortForm(plan.incidentId);
        const QStringList server = trusted(rig.server->api().port());
        rig.wait(2min); // she reads the checklist
        const cli::Run asked
            = ctl(QStringList { u"request"_s, id, u"--name"_s, u"alice"_s, u"--reason"_s,
                      u"eu-west is down; by hand it takes 20 min"_s, u"--fingerprint"_s, plan.plan.fingerprint }
                + server);
        QVERIFY2(asked.exitCode == 0, qPrintable(asked.err));
        QVERIFY2(asked.out.startsWith(u"Requested plan %1 of %2 as alice"_s.arg(plan.plan.fingerprint.left(12), id))
                && asked.out.contains(u"by someone other than you"_s),
            qPrintable(asked.out));
        QTRY_VERIFY(rig.stored(u"run_requested"_s, plan.incidentId, u"alice asks the engine to run plan"_s));
        rig.wait(5s); // planned again on fresh data, then it waits

        const Proposal waiting = *rig.run->engine().proposal(rig.run->engine().incident(plan.incidentId)->proposalId);
        QCOMPARE(waiting.decision.mode, Mode::Approve);
        const QStringList approve { u"approve"_s, id, u"--fingerprint"_s, waiting.plan.fingerprint };
        const cli::Run own = ctl(approve + QStringList { u"--name"_s, u"alice"_s } + server);
        QCOMPARE(own.exitCode, 1);
        QVERIFY2(own.err.contains(u"alice requested this action and cannot also approve it"_s), qPrintable(own.err));
        const cli::Run again = ctl(QStringList { u"request"_s, id, u"--name"_s, u"carol"_s, u"--reason"_s, u"x"_s,
                                       u"--fingerprint"_s, waiting.plan.fingerprint }
            + server);
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains(u"alice already requested this plan"_s), qPrintable(again.err));

        rig.wait(3min); // bob reads it
        const cli::Run bob = ctl(approve + QStringList { u"--name"_s, u"bob"_s } + server);
        QVERIFY2(bob.exitCode == 0, qPrintable(bob.err));
        QVERIFY2(bob.out.contains(u"it runs now"_s), qPrintable(bob.out));
        QTRY_VERIFY(rig.store->findExecution(waiting.id));
        QCOMPARE(rig.store->findExecution(waiting.id)->approvedBy, u"bob"_s);
    }

    void denyWithAReason()
    {
        Rig rig(m_certificate);
        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY(incident);
        const cli::Run r = ctl(QStringList { u"deny"_s, IncidentId::shortForm(incident->id), u"--name"_s, u"carol"_s,
                                   u"--reason"_s, u"the failover target is in maintenance"_s }
            + trusted(rig.server->api().port()));
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.out.contains(u"Denied plan"_s), qPrintable(r.out));
        QTRY_COMPARE(rig.run->engine().proposal(incident->proposalId)->state, Proposal::State::Denied);
    }

    // A person takes an incident whose plan waits out of the engine's hands: it runs
    // nothing more and goes to a person, and the audit trail names who. A second cancel,
    // or one of an incident the server does not hold, is refused with exit 1 and the reason.
    void cancelAnIncidentWhosePlanWaits()
    {
        Rig rig(m_certificate);
        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY(incident);
        const QString id = IncidentId::shortForm(incident->id);
        const QString url = wss(rig.server->api().port());
        const QStringList server = trusted(rig.server->api().port());

        const cli::Run r = ctl(QStringList { u"cancel"_s, id, u"--name"_s, u"dave"_s, u"--json"_s } + server);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err + r.out));
        const QJsonObject out = r.json();
        QCOMPARE(out.value(u"ok"_s).toBool(), true);
        QCOMPARE(out.value(u"command"_s).toString(), u"cancel"_s);
        QCOMPARE(out.value(u"server"_s).toString(), url);
        QCOMPARE(out.value(u"sent"_s).toObject().value(u"incident"_s).toString(), incident->id);
        QTRY_COMPARE(rig.run->engine().incident(incident->id)->state, IncidentState::Escalated);
        QTRY_VERIFY(rig.stored(u"cancelled"_s, incident->id, u"cancelled by dave"_s));

        const cli::Run again = ctl(QStringList { u"cancel"_s, id } + server);
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.startsWith(u"antibodyctl cancel: not cancelled: %1 is escalated on %2: nothing is left to "
                                      u"cancel"_s.arg(id, url)),
            qPrintable(again.err));

        const cli::Run unknown = ctl(QStringList { u"cancel"_s, u"INC-00000000"_s } + server);
        QCOMPARE(unknown.exitCode, 1);
        QVERIFY2(unknown.err.contains(u"no incident or proposal 'INC-00000000' is open"_s), qPrintable(unknown.err));
        QVERIFY2(unknown.err.contains(u"`antibodyctl incidents --server %1` lists what is open"_s.arg(url)),
            qPrintable(unknown.err));
    }

    // A person's API token, from a file only they can read or from ANTIBODY_TOKEN: the
    // server knows them by it, whatever --name says. A file others can read is not used;
    // a revoked token is refused by the server with the reason; neither message shows the
    // token.
    void aTokenFromAFileOrTheEnvironmentNamesThePerson()
    {
        Rig rig(m_certificate);
        SqliteTokens records(rig.store->session());
        const IssuedToken alice
            = ApiTokens::issue(u"alice"_s, {}, u"root"_s, rig.clock.now(), ApiTokens::defaultLifetime);
        const IssuedToken carol
            = ApiTokens::issue(u"carol"_s, {}, u"root"_s, rig.clock.now(), ApiTokens::defaultLifetime);
        QVERIFY(records.createToken(alice.record).done && records.createToken(carol.record).done);
        QVERIFY(records.revokeToken(carol.record.id, u"root"_s, rig.clock.now()).done);
        TokenGate gate(records, rig.clock, {});
        rig.checkTokensWith(gate);
        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY(incident);
        const QStringList server = trusted(rig.server->api().port());
        QTemporaryDir dir;
        const QString file = dir.filePath(u"token"_s);
        {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(alice.text.toUtf8() + "\n");
        }

        QVERIFY(QFile::setPermissions(
            file, QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ReadGroup | QFileDevice::ReadOther));
        const cli::Run shared = ctl(QStringList { u"incidents"_s, u"--token-file"_s, file } + server);
        QCOMPARE(shared.exitCode, 2);
        QVERIFY2(shared.err.contains(u"--token-file %1: its group or others may read or change it (mode 0644): chmod "
                                     u"600 %1"_s.arg(file)),
            qPrintable(shared.err));

        QVERIFY(QFile::setPermissions(file, QFileDevice::ReadOwner | QFileDevice::WriteOwner));
        const cli::Run cancelled = ctl(QStringList { u"cancel"_s, IncidentId::shortForm(incident->id), u"--name"_s,
                                           u"mallory"_s, u"--token-file"_s, file }
            + server);
        QVERIFY2(cancelled.exitCode == 0, qPrintable(cancelled.err + cancelled.out));
        QTRY_VERIFY(rig.stored(u"cancelled"_s, incident->id, u"cancelled by alice"_s));
        QVERIFY(!rig.stored(u"cancelled"_s, incident->id, u"mallory"_s));

        QProcessEnvironment revoked;
        revoked.insert(u"ANTIBODY_TOKEN"_s, carol.text);
        const cli::Run refused = ctl(QStringList { u"incidents"_s } + server, 60'000, revoked);
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(refused.err.contains(u"refused your API token: "_s) && refused.err.contains(u"revoked"_s),
            qPrintable(refused.err));
        QVERIFY2(refused.err.count(u"antibodyctl token create"_s) == 1, qPrintable(refused.err));
        qInfo("%s", qPrintable(refused.err.trimmed()));

        QProcessEnvironment malformed;
        malformed.insert(u"ANTIBODY_TOKEN"_s, u"hunter2-not-a-token"_s);
        const cli::Run bad = ctl(QStringList { u"incidents"_s } + server, 60'000, malformed);
        QCOMPARE(bad.exitCode, 2);
        QVERIFY2(bad.err.startsWith(u"antibodyctl incidents: ANTIBODY_TOKEN: "_s), qPrintable(bad.err));
        for (const cli::Run *r : { &shared, &cancelled, &refused, &bad }) {
            QVERIFY(!r->err.contains(alice.text) && !r->err.contains(carol.text) && !r->out.contains(alice.text));
            QVERIFY(!r->err.contains(u"hunter2"_s));
        }
    }

    // An admin administers tokens over the client API (`token ... --server`): only with a
    // policy in force that lets them `admin`, and their own token; the new token's secret
    // is drawn by antibodyctl, printed once, and the server keeps its hash, stamped with
    // the admin's name. The person it names uses it at once; revoked, it stops.
    void tokensAdministeredOverTheServerByAnAdmin()
    {
        Rig rig(m_certificate);
        SqliteTokens records(rig.store->session());
        const IssuedToken erin
            = ApiTokens::issue(u"erin"_s, {}, u"root"_s, rig.clock.now(), ApiTokens::defaultLifetime);
        const IssuedToken bob = ApiTokens::issue(u"bob"_s, {}, u"root"_s, rig.clock.now(), ApiTokens::defaultLifetime);
        QVERIFY(records.createToken(erin.record).done && records.createToken(bob.record).done);
        TokenGate gate(records, rig.clock, {});
        rig.checkTokensWith(gate);
        const QStringList server = trusted(rig.server->api().port());
        const QString url = wss(rig.server->api().port());
        const auto as = [](const IssuedToken &who) {
            QProcessEnvironment env;
            env.insert(u"ANTIBODY_TOKEN"_s, who.text);
            return env;
        };

        const cli::Run noToken = ctl(QStringList { u"token"_s, u"list"_s } + server);
        QCOMPARE(noToken.exitCode, 2);
        QVERIFY2(noToken.err.contains(u"--server needs your own API token"_s), qPrintable(noToken.err));
        const cli::Run noPolicy = ctl(QStringList { u"token"_s, u"list"_s } + server, 60'000, as(erin));
        QCOMPARE(noPolicy.exitCode, 1);
        QVERIFY2(noPolicy.err.contains(u"needs a policy in force (server.policy)"_s), qPrintable(noPolicy.err));

        QTemporaryDir dir;
        const QString policy = dir.filePath(u"policy.yaml"_s);
        {
            QFile f(policy);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("rules:\n  - allow: [view]\n    subjects: [erin, bob, frank]\n  - allow: [admin]\n"
                    "    subjects: [erin]\n");
        }
        QStringList problems;
        QVERIFY2(rig.server->reloadPolicy(policy, &problems), qPrintable(problems.join(u'\n')));
        const QStringList create { u"token"_s, u"create"_s, u"--subject"_s, u"frank"_s, u"--groups"_s, u"oncall"_s,
            u"--expires"_s, u"7d"_s };
        const cli::Run byBob = ctl(create + server, 60'000, as(bob));
        QCOMPARE(byBob.exitCode, 1);
        QVERIFY2(byBob.err.contains(u"refused by the policy"_s) && byBob.err.contains(u"bob"_s)
                && byBob.err.contains(u"admin"_s),
            qPrintable(byBob.err));

        const cli::Run made = ctl(create + server, 60'000, as(erin));
        QVERIFY2(made.exitCode == 0, qPrintable(made.err));
        const QString frankText = made.out.trimmed();
        QString error;
        const auto presented = ApiTokens::parse(frankText, &error);
        QVERIFY2(presented, qPrintable(error + u": "_s + made.out));
        QVERIFY2(made.err.contains(u"antibodyctl token revoke %1 --server %2"_s.arg(presented->id, url)),
            qPrintable(made.err));
        const auto stored = records.findToken(presented->id);
        QVERIFY(stored);
        QCOMPARE(stored->subject, u"frank"_s);
        QCOMPARE(stored->groups, QStringList { u"oncall"_s });
        QCOMPARE(stored->createdBy, u"erin"_s); // who the server knows, not who antibodyctl says
        QCOMPARE(stored->createdAt, rig.clock.now());
        QVERIFY(ApiTokens::secretMatches(*stored, presented->secret));
        QTRY_VERIFY(rig.stored(u"token_created"_s, {}, u"frank"_s));

        const IssuedToken frank { *stored, frankText };
        const cli::Run frankLooks = ctl(QStringList { u"incidents"_s } + server, 60'000, as(frank));
        QVERIFY2(frankLooks.exitCode == 0, qPrintable(frankLooks.err));

        const cli::Run listed = ctl(QStringList { u"token"_s, u"list"_s, u"--json"_s } + server, 60'000, as(erin));
        QVERIFY2(listed.exitCode == 0, qPrintable(listed.err));
        QVERIFY2(listed.out.contains(presented->id) && listed.out.contains(u"\"created_by\": \"erin\""_s),
            qPrintable(listed.out));
        QVERIFY(!listed.out.contains(u"sha256"_s) && !listed.out.contains(stored->secretSha256));

        const cli::Run revoked = ctl(QStringList { u"token"_s, u"revoke"_s, presented->id } + server, 60'000, as(erin));
        QVERIFY2(revoked.exitCode == 0, qPrintable(revoked.err));
        QVERIFY2(revoked.out.contains(u"of frank"_s), qPrintable(revoked.out));
        QCOMPARE(records.findToken(presented->id)->revokedBy, u"erin"_s);
        const cli::Run frankAgain = ctl(QStringList { u"incidents"_s } + server, 60'000, as(frank));
        QCOMPARE(frankAgain.exitCode, 2);
        QVERIFY2(frankAgain.err.contains(u"revoked"_s), qPrintable(frankAgain.err));
        const cli::Run twice = ctl(QStringList { u"token"_s, u"revoke"_s, presented->id } + server, 60'000, as(erin));
        QCOMPARE(twice.exitCode, 1);
        for (const cli::Run *r : { &byBob, &made, &listed, &revoked, &frankAgain, &twice })
            QVERIFY(!r->err.contains(frankText) && !r->err.contains(erin.text) && !r->err.contains(bob.text));
    }

    // The breaker the demo's crash loop opens is reset by a person: closed on the server,
    // named in the audit trail. A name the server has no breaker for is refused with the
    // ones it has, in the JSON a script reads too.
    void resetTheBreakerACrashLoopOpened()
    {
        Rig rig(m_certificate);
        const auto open = [&]() -> std::optional<BreakerState> {
            for (const BreakerState &b : rig.run->engine().breakers()) {
                if (b.state == BreakerState::State::Open)
                    return b;
            }
            return std::nullopt;
        };
        for (int i = 0; i < 60 && !open(); ++i)
            rig.wait(30s); // an open breaker stays open for its cool-off, far longer
        const auto breaker = open();
        QVERIFY2(breaker, "the demo's crash loop opens a breaker");
        const QString url = wss(rig.server->api().port());
        const QStringList server = trusted(rig.server->api().port());

        const cli::Run unknown = ctl(QStringList { u"reset-breaker"_s, u"no-such-runbook"_s, u"--json"_s } + server);
        QCOMPARE(unknown.exitCode, 1);
        QCOMPARE(unknown.json().value(u"ok"_s).toBool(true), false);
        QCOMPARE(unknown.json().value(u"reason"_s).toString(), url + u" has no circuit breaker 'no-such-runbook'"_s);
        QVERIFY2(unknown.err.contains(u"its breakers: "_s) && unknown.err.contains(breaker->type + u" open"_s),
            qPrintable(unknown.err));

        const cli::Run r = ctl(QStringList { u"reset-breaker"_s, breaker->type, u"--name"_s, u"erin"_s } + server);
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QCOMPARE(r.out,
            u"Reset the circuit breaker %1 (it was open) as erin on %2: its runbook may run automatically again.\n"_s
                .arg(breaker->type, url));
        const auto stateOf = [&] {
            for (const BreakerState &b : rig.run->engine().breakers()) {
                if (b.type == breaker->type)
                    return b.state;
            }
            return BreakerState::State::Open;
        };
        QTRY_COMPARE(stateOf(), BreakerState::State::Closed);
        QTRY_VERIFY(rig.stored(u"breaker_reset"_s, {}, u"reset by erin"_s));
    }

    // A decision whose reply never comes may or may not have been recorded: exit 2, and
    // where to look, never "done" and never a hang.
    void aDecisionWithoutAReplyIsNotDone()
    {
        FakeServer fake(m_certificate,
            { uR"({"type":"welcome","protocol":1,"seq":1})"_s,
                uR"({"type":"snapshot","incidents":[],"proposals":[],"breakers":[{"type":"x","state":"open"}]})"_s });
        const QString url = wss(fake.server.serverPort());
        const cli::Run r = ctl({ u"reset-breaker"_s, u"x"_s, u"--server"_s, url, u"--ca-file"_s,
            m_certificate.certFile(), u"--timeout"_s, u"0.5"_s });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"no reply to reset_breaker from %1 within 0.5 s"_s.arg(url)), qPrintable(r.err));
        QVERIFY2(
            r.err.contains(u"whether the server recorded it is unknown: `antibodyctl watch --server %1`"_s.arg(url)),
            qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    // The server's certificate is verified: without --ca-file the test's self-signed one
    // is refused, and the error says which certificate and what to do.
    void anUntrustedCertificateIsALocatedError()
    {
        Rig rig(m_certificate);
        const QString url = wss(rig.server->api().port());
        const cli::Run r = ctl({ u"incidents"_s, u"--server"_s, url });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(u"TLS verification failed for "_s + url), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"127.0.0.1"_s) && r.err.contains(u"--ca-file"_s), qPrintable(r.err));
        QCOMPARE(rig.server->api().clientCount(), 0);
    }

    void noServerThereIsAClearErrorInTime()
    {
        const QString url = wss(freePort());
        QElapsedTimer t;
        t.start();
        const cli::Run refused = ctl({ u"incidents"_s, u"--server"_s, url, u"--timeout"_s, u"3"_s });
        QCOMPARE(refused.exitCode, 2);
        QVERIFY2(
            refused.err.contains(u"cannot connect to "_s + url + u": connection refused"_s), qPrintable(refused.err));

        // Something that accepts and never speaks: the timeout ends the wait.
        QTcpServer mute;
        QVERIFY(mute.listen(QHostAddress::LocalHost));
        t.restart();
        const cli::Run silent = ctl({ u"incidents"_s, u"--server"_s, wss(mute.serverPort()), u"--timeout"_s, u"2"_s });
        QCOMPARE(silent.exitCode, 2);
        QVERIFY2(silent.err.contains(u"within 2 s"_s), qPrintable(silent.err));
        QVERIFY2(t.elapsed() < 10'000, "the timeout bounds the wait");
    }

    void hostileServers_data()
    {
        QTest::addColumn<QStringList>("answers");
        QTest::addColumn<QString>("error");
        QTest::addRow("not JSON") << QStringList { u"<html>hello</html>"_s } << u"not JSON"_s;
        QTest::addRow("wrong types") << QStringList { uR"({"type":"welcome","protocol":1,"seq":"many"})"_s }
                                     << u"a welcome without protocol 1 and a numeric seq"_s;
        QTest::addRow("no welcome") << QStringList { uR"({"type":"event","seq":1,"kind":"x"})"_s }
                                    << u"instead of welcome"_s;
        QTest::addRow("huge") << QStringList { uR"({"type":"welcome","protocol":1,"seq":1})"_s,
            QString(17 * 1024 * 1024, u'x') }
                              << u"larger than 16 MiB"_s;
        QTest::addRow("a reply that never comes") << QStringList { uR"({"type":"welcome","protocol":1,"seq":1})"_s,
            uR"({"type":"snapshot","incidents":[],"proposals":[]})"_s }
                                                  << u"within 2 s"_s;
    }

    void hostileServers()
    {
        QFETCH(QStringList, answers);
        QFETCH(QString, error);
        FakeServer fake(m_certificate, answers);
        const QString url = wss(fake.server.serverPort());
        const cli::Run r
            = ctl({ u"audit"_s, u"--server"_s, url, u"--ca-file"_s, m_certificate.certFile(), u"--timeout"_s, u"2"_s });
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(url), qPrintable(r.err));
        QVERIFY2(r.err.contains(error), qPrintable(r.err));
    }

    // A server that announces a heartbeat and then falls silent is a lost connection after
    // two of them: watch says so and tries again, until --max-seconds ends it.
    void aSilentServerIsALostConnection()
    {
        FakeServer fake(m_certificate,
            { uR"({"type":"welcome","protocol":1,"seq":7,"heartbeat_ms":300})"_s,
                uR"({"type":"snapshot","incidents":[],"proposals":[]})"_s });
        const QString url = wss(fake.server.serverPort());
        const cli::Run r = ctl(
            { u"watch"_s, u"--server"_s, url, u"--ca-file"_s, m_certificate.certFile(), u"--max-seconds"_s, u"5"_s });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(
            r.err.contains(url + u" sent nothing for 1.6 s, not even a heartbeat; reconnecting"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"reconnected to "_s + url + u", events after #7"_s), qPrintable(r.err));
    }

    void badArgumentsAreUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("error");
        QTest::addRow("http URL") << QStringList { u"incidents"_s, u"--server"_s, u"http://x:1"_s }
                                  << u"starts with wss://"_s;
        QTest::addRow("ws across a network")
            << QStringList { u"watch"_s, u"--server"_s, u"ws://10.1.2.3:8443"_s } << u"clear text"_s;
        QTest::addRow("no URL") << QStringList { u"incidents"_s } << u"--server URL is required"_s;
        QTest::addRow("short fingerprint") << QStringList { u"approve"_s, u"INC-1"_s, u"--server"_s,
            u"wss://127.0.0.1:1"_s, u"--fingerprint"_s, u"abc"_s }
                                           << u"64-digit sha256"_s;
        QTest::addRow("missing CA file") << QStringList { u"incidents"_s, u"--server"_s, u"wss://127.0.0.1:1"_s,
            u"--ca-file"_s, u"/nonexistent/ca.pem"_s }
                                         << u"/nonexistent/ca.pem"_s;
        QTest::addRow("cancel with a reason")
            << QStringList { u"cancel"_s, u"INC-1"_s, u"--server"_s, u"wss://127.0.0.1:1"_s, u"--reason"_s, u"x"_s }
            << u"cancel takes no --reason"_s;
        QTest::addRow("reset-breaker without a name") << QStringList { u"reset-breaker"_s, u"--server"_s,
            u"wss://127.0.0.1:1"_s } << u"say which circuit breaker"_s;
        QTest::addRow("approve --json without a fingerprint") << QStringList { u"approve"_s, u"INC-1"_s, u"--server"_s,
            u"wss://127.0.0.1:1"_s, u"--json"_s } << u"a script approves only with --fingerprint"_s;
        QTest::addRow("bad limit") << QStringList { u"audit"_s, u"--server"_s, u"wss://127.0.0.1:1"_s, u"--limit"_s,
            u"0"_s } << u"--limit wants"_s;
    }

    void badArgumentsAreUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, error);
        const cli::Run r = ctl(args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(error), qPrintable(r.err));
    }
};

QTEST_GUILESS_MAIN(TestServerCli)
#include "tst_servercli.moc"
