// The team server in one process: the real engine on the simulated fleet in virtual
// time, its SQLite store, and the client API over TLS with real WebSocket clients.
// Two people watch one proposal, one reads it for minutes and approves; a client that
// drops and comes back misses no event and gets none twice; bad messages are refused;
// the HTTP endpoints answer as Prometheus and Alertmanager expect.
#include "server/clientsession.h"
#include "server/eventjournal.h"
#include "testclient.h"
#include "tests/support/teamserverrig.h"

#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSet>
#include <QSignalSpy>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using antibody::test::SelfSignedCertificate;
using antibody::test::TestClient;
using Rig = antibody::test::TeamServerRig;

namespace {

// The proposal the newest `incident` message a client got names: the plan it shows now.
QString currentProposal(const TestClient &c, const QString &incidentId)
{
    QString out;
    for (const QJsonObject &m : c.ofType(u"incident"_s)) {
        if (m.value(u"incident"_s).toObject().value(u"id"_s).toString() == incidentId)
            out = m.value(u"incident"_s).toObject().value(u"proposal"_s).toString();
    }
    return out;
}

// The newest `proposal` message a client got for this proposal.
QJsonObject latestProposal(const TestClient &c, const QString &id)
{
    QJsonObject out;
    for (const QJsonObject &m : c.ofType(u"proposal"_s)) {
        if (m.value(u"proposal"_s).toObject().value(u"id"_s).toString() == id)
            out = m.value(u"proposal"_s).toObject();
    }
    return out;
}

bool strictlyIncreasing(const QList<qint64> &seqs)
{
    for (qsizetype i = 1; i < seqs.size(); ++i) {
        if (seqs.at(i) <= seqs.at(i - 1))
            return false;
    }
    return true;
}

QByteArray get(QNetworkAccessManager &http, const QUrl &url, int *status, const QByteArray &post = {})
{
    QNetworkRequest request(url);
    request.setHeader(QNetworkRequest::ContentTypeHeader, u"application/json"_s);
    std::unique_ptr<QNetworkReply> reply(post.isNull() ? http.get(request) : http.post(request, post));
    if (!QTest::qWaitFor([&] { return reply->isFinished(); }, 10'000))
        qWarning("no answer from %s within 10 s", qPrintable(url.toString()));
    *status = reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    return reply->readAll();
}

} // namespace

class TestTeamServer : public QObject
{
    Q_OBJECT

    SelfSignedCertificate m_certificate;

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_certificate.ok(), qPrintable(m_certificate.error)); }

    // Alice and Bob watch one proposal from two consoles; Alice reads it for three
    // minutes and approves the plan she read; Bob's late and stale approvals are refused
    // with the reason; both see the incident resolve, with the same events, each once.
    void twoPeopleOneProposal()
    {
        Rig rig(m_certificate);
        TestClient alice(m_certificate.certPem), bob(m_certificate.certPem);
        QVERIFY(alice.open(rig.server->api().url()));
        QVERIFY(bob.open(rig.server->api().url()));
        alice.hello(u"alice"_s);
        bob.hello(u"bob"_s);
        QTRY_COMPARE(alice.ofType(u"snapshot"_s).size(), 1);
        QTRY_COMPARE(bob.ofType(u"welcome"_s).size(), 1);
        QCOMPARE(alice.messages.first().value(u"type"_s).toString(), u"welcome"_s);
        QCOMPARE(alice.messages.first().value(u"heartbeat_ms"_s).toInteger(), 500); // the client watches for silence

        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY2(incident, "the demo's region failover never waited for approval");
        QTRY_VERIFY(!latestProposal(alice, incident->proposalId).isEmpty());
        QTRY_VERIFY(!latestProposal(bob, incident->proposalId).isEmpty());
        QCOMPARE(rig.server->api().clientCount(), 2);

        rig.wait(3min); // Alice reads the blast radius and the steps
        // The plan may have been made again while she read (the world moved): both
        // consoles show the incident's current proposal.
        QTRY_VERIFY(!currentProposal(alice, incident->id).isEmpty());
        const QString proposalId = currentProposal(alice, incident->id);
        QCOMPARE(currentProposal(bob, incident->id), proposalId);
        QCOMPARE(proposalId, rig.run->engine().incident(incident->id)->proposalId);
        QTRY_COMPARE(latestProposal(alice, proposalId).value(u"fingerprint"_s),
            latestProposal(bob, proposalId).value(u"fingerprint"_s));
        const QString read = latestProposal(alice, proposalId).value(u"fingerprint"_s).toString();
        QVERIFY(!read.isEmpty());
        QVERIFY(!latestProposal(alice, proposalId).value(u"blast_radius"_s).toArray().isEmpty());

        const QJsonObject stale = bob.command(QJsonObject {
            { u"type"_s, u"approve"_s }, { u"proposal"_s, proposalId }, { u"fingerprint"_s, u"0123456789abcdef"_s } });
        QCOMPARE(stale.value(u"ok"_s).toBool(), false);
        QCOMPARE(stale.value(u"status"_s).toString(), u"refused"_s);
        QVERIFY(!stale.value(u"reason"_s).toString().isEmpty());

        const QJsonObject approved = alice.command(
            QJsonObject { { u"type"_s, u"approve"_s }, { u"proposal"_s, proposalId }, { u"fingerprint"_s, read } });
        QVERIFY2(approved.value(u"ok"_s).toBool(), qPrintable(approved.value(u"reason"_s).toString()));
        QCOMPARE(approved.value(u"status"_s).toString(), u"executing"_s);

        const QJsonObject late = bob.command(
            QJsonObject { { u"type"_s, u"approve"_s }, { u"proposal"_s, proposalId }, { u"fingerprint"_s, read } });
        QCOMPARE(late.value(u"ok"_s).toBool(), false);
        QVERIFY2(!late.value(u"reason"_s).toString().isEmpty(), "a refused approval says why");

        for (int i = 0; i < 120 && rig.run->engine().incident(incident->id)->state != IncidentState::Resolved; ++i)
            rig.wait(5s);
        QCOMPARE(rig.run->engine().incident(incident->id)->state, IncidentState::Resolved);

        // Both saw the approval by name and the resolution, under the same numbers, once each.
        auto resolvedSeq = [&](const TestClient &c) {
            for (const QJsonObject &e : c.ofType(u"event"_s)) {
                if (e.value(u"kind"_s) == u"resolved"_s && e.value(u"incident"_s) == incident->id)
                    return e.value(u"seq"_s).toInteger();
            }
            return qint64 { -1 };
        };
        QTRY_VERIFY(resolvedSeq(alice) > 0);
        QTRY_COMPARE(resolvedSeq(bob), resolvedSeq(alice));
        QVERIFY(strictlyIncreasing(alice.eventSeqs()));
        QVERIFY(strictlyIncreasing(bob.eventSeqs()));
        const auto approvedBy = [&](const TestClient &c) {
            for (const QJsonObject &e : c.ofType(u"event"_s)) {
                if (e.value(u"kind"_s) == u"approved"_s && e.value(u"incident"_s) == incident->id)
                    return e.value(u"detail"_s).toString();
            }
            return QString();
        };
        QVERIFY2(approvedBy(bob).contains(u"alice"_s), qPrintable(approvedBy(bob)));
    }

    // A laptop lid closes mid-incident and opens minutes later: the client says the last
    // number it saw and gets everything it missed, then the live stream, each event once.
    void aClientThatComesBackMissesNothing()
    {
        Rig rig(m_certificate);
        auto carol = std::make_unique<TestClient>(m_certificate.certPem);
        QVERIFY(carol->open(rig.server->api().url()));
        carol->hello(u"carol"_s);
        QTRY_COMPARE(carol->ofType(u"welcome"_s).size(), 1);
        const qint64 startedAfter = carol->ofType(u"welcome"_s).first().value(u"seq"_s).toInteger();

        rig.wait(4min);
        QTRY_VERIFY(!carol->eventSeqs().isEmpty());
        QList<qint64> seen = carol->eventSeqs();
        carol->socket.close();
        QTRY_COMPARE(rig.server->api().clientCount(), 0);

        rig.wait(6min); // the incident goes on without her
        QVERIFY(rig.storedSeqsAfter(seen.last()).size() > 0);

        carol = std::make_unique<TestClient>(m_certificate.certPem);
        QVERIFY(carol->open(rig.server->api().url()));
        carol->hello(u"carol"_s, seen.last());
        QTRY_COMPARE(carol->ofType(u"snapshot"_s).size(), 1);
        rig.wait(2min);
        const QList<qint64> expected = rig.storedSeqsAfter(startedAfter);
        QTRY_COMPARE(seen.size() + carol->eventSeqs().size(), expected.size());
        seen << carol->eventSeqs();
        QCOMPARE(seen, expected); // every event, in order, none twice
    }

    void badMessagesAreRefused()
    {
        Rig rig(m_certificate);
        TestClient rude(m_certificate.certPem);
        QVERIFY(rude.open(rig.server->api().url()));
        rude.send(QJsonObject { { u"type"_s, u"approve"_s } }); // no hello first
        QTRY_COMPARE(rude.socket.state(), QAbstractSocket::UnconnectedState);
        QVERIFY2(rude.socket.closeReason().contains(u"hello"_s), qPrintable(rude.socket.closeReason()));

        TestClient anonymous(m_certificate.certPem);
        QVERIFY(anonymous.open(rig.server->api().url()));
        anonymous.hello({});
        QTRY_COMPARE(anonymous.ofType(u"welcome"_s).size(), 1);
        const QJsonObject nameless
            = anonymous.command(QJsonObject { { u"type"_s, u"cancel"_s }, { u"incident"_s, u"INC-1"_s } });
        QVERIFY2(nameless.value(u"reason"_s).toString().contains(u"who you are"_s),
            qPrintable(nameless.value(u"reason"_s).toString()));

        TestClient dave(m_certificate.certPem);
        QVERIFY(dave.open(rig.server->api().url()));
        dave.hello(u"dave"_s);
        QTRY_COMPARE(dave.ofType(u"welcome"_s).size(), 1);
        const QJsonObject denial = dave.command(
            QJsonObject { { u"type"_s, u"deny"_s }, { u"proposal"_s, u"P-1"_s }, { u"fingerprint"_s, u"abc"_s } });
        QVERIFY(!denial.value(u"ok"_s).toBool());
        QVERIFY2(denial.value(u"reason"_s).toString().contains(u"reason"_s),
            qPrintable(denial.value(u"reason"_s).toString()));
        QVERIFY(dave.command(QJsonObject { { u"type"_s, u"reboot_everything"_s } })
                    .value(u"reason"_s)
                    .toString()
                    .contains(u"unknown command"_s));
        QVERIFY(!dave.command(QJsonObject { { u"type"_s, u"cancel"_s }, { u"incident"_s, u"INC-none"_s } })
                     .value(u"ok"_s)
                     .toBool());
        QVERIFY(!dave.command(QJsonObject { { u"type"_s, u"reset_breaker"_s }, { u"breaker"_s, u"nope"_s } })
                     .value(u"ok"_s)
                     .toBool());
        dave.socket.sendTextMessage(u"{not json"_s);
        QTRY_COMPARE(dave.ofType(u"error"_s).size(), 1);
        QCOMPARE(dave.socket.state(), QAbstractSocket::ConnectedState);

        rig.wait(2min);
        const QJsonObject listed = dave.command(
            QJsonObject { { u"type"_s, u"list"_s }, { u"what"_s, u"events"_s }, { u"after"_s, 0 }, { u"limit"_s, 3 } });
        QVERIFY(listed.value(u"ok"_s).toBool());
        QCOMPARE(listed.value(u"items"_s).toArray().size(), 3);
        QVERIFY(dave.command(QJsonObject { { u"type"_s, u"list"_s }, { u"what"_s, u"incidents"_s } })
                    .value(u"ok"_s)
                    .toBool());

        // A message past the limit closes the connection rather than filling memory.
        dave.socket.sendTextMessage(QString(ClientSession::maxMessageBytes + 10, u'x'));
        QTRY_COMPARE(dave.socket.state(), QAbstractSocket::UnconnectedState);
    }

    // TLS is verified: a client that does not trust the server's certificate is refused.
    void anUntrustedServerIsRefused()
    {
        Rig rig(m_certificate);
        QWebSocket stranger;
        QSignalSpy errors(&stranger, &QWebSocket::sslErrors);
        stranger.open(QUrl(rig.server->api().url()));
        QTRY_VERIFY(errors.count() > 0);
        QTRY_COMPARE(stranger.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(rig.server->api().clientCount(), 0);
    }

    void theHttpEndpointsAnswer()
    {
        Rig rig(m_certificate);
        TestClient erin(m_certificate.certPem);
        QVERIFY(erin.open(rig.server->api().url()));
        erin.hello(u"erin"_s);
        QTRY_COMPARE(erin.ofType(u"welcome"_s).size(), 1);
        QNetworkAccessManager http;
        const QString base = u"http://127.0.0.1:%1"_s.arg(rig.server->httpPort());
        int status = 0;
        QCOMPARE(get(http, QUrl(base + u"/healthz"_s), &status), QByteArray("ok\n"));
        QCOMPARE(status, 200);
        QCOMPARE(get(http, QUrl(base + u"/readyz"_s), &status), QByteArray("ready\n"));
        QCOMPARE(status, 200);

        const QByteArray malformed = get(http, QUrl(base + u"/v1/alertmanager"_s), &status, "{\"version\": 3");
        QCOMPARE(status, 400);
        QVERIFY2(malformed.contains("not JSON"), malformed.constData());
        get(http, QUrl(base + u"/v1/alertmanager"_s), &status, R"({"version": "3", "alerts": []})");
        QCOMPARE(status, 400);
        const QByteArray accepted = get(http, QUrl(base + u"/v1/alertmanager"_s), &status,
            R"({"version": "4", "status": "firing", "alerts": [{"labels": {"alertname": "PostgresPoolExhausted"}}]})");
        QCOMPARE(status, 200);
        QVERIFY2(accepted.contains("\"accepted\":1"), accepted.constData());

        rig.untilWaiting(u"region-failover"_s);
        QTest::qWait(200);
        const QByteArray metrics = get(http, QUrl(base + u"/metrics"_s), &status);
        QCOMPARE(status, 200);
        QVERIFY2(metrics.contains("antibody_server_clients 1\n"), metrics.constData());
        QVERIFY2(metrics.contains("antibody_server_leader 1\n"), metrics.constData());
        QVERIFY2(metrics.contains("antibody_proposals_waiting 1\n"), metrics.constData());
        QVERIFY2(
            metrics.contains("antibody_alertmanager_webhooks_total{result=\"accepted\"} 1\n"), metrics.constData());
        QVERIFY2(
            metrics.contains("antibody_alertmanager_webhooks_total{result=\"malformed\"} 2\n"), metrics.constData());
        QVERIFY2(metrics.contains(QByteArray("antibody_server_event_seq ")
                     + QByteArray::number(rig.server->journal().lastSeq()) + '\n'),
            metrics.constData());
        QVERIFY(metrics.contains("# TYPE antibody_incidents_ended_total counter\n"));
        // Heartbeats carry the newest number while nothing else happens.
        QTRY_VERIFY(!erin.ofType(u"heartbeat"_s).isEmpty());
    }
};

QTEST_MAIN(TestTeamServer)
#include "tst_teamserver.moc"
