// The team server in one process: the real engine on the simulated fleet in virtual
// time, its SQLite store, and the client API over TLS with real WebSocket clients.
// Two people watch one proposal, one reads it for minutes and approves; a client that
// drops and comes back misses no event and gets none twice; bad messages are refused;
// the HTTP endpoints answer as Prometheus and Alertmanager expect.
#include "server/clientsession.h"
#include "server/eventjournal.h"
#include "server/rangequeries.h"
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

// A `query_range` and its reply. The simulated metric source answers on the engine's
// clock, so virtual time passes while the client waits (a refusal needs none).
QJsonObject readRange(Rig &rig, TestClient &client, QJsonObject fields)
{
    static int requests = 0;
    const QString id = u"range%1"_s.arg(++requests);
    fields.insert(u"type"_s, u"query_range"_s);
    fields.insert(u"request"_s, id);
    client.send(fields);
    for (int i = 0; i < 100; ++i) {
        for (const QJsonObject &m : client.ofType(u"reply"_s)) {
            if (m.value(u"request"_s) == id)
                return m;
        }
        rig.wait(Duration { 100 });
    }
    return QJsonObject { { u"type"_s, u"no reply"_s } };
}

QJsonObject labels(std::initializer_list<std::pair<QString, QJsonValue>> pairs)
{
    QJsonObject out;
    for (const auto &[name, value] : pairs)
        out.insert(name, value);
    return out;
}

const QString poolMetric = u"service:pg_connection_utilization:ratio"_s;

// A client that has said hello and been welcomed.
bool greeted(TestClient &client, const Rig &rig, const QString &name)
{
    if (!client.open(rig.server->api().url()))
        return false;
    client.hello(name);
    return QTest::qWaitFor([&] { return client.ofType(u"welcome"_s).size() == 1; }, 10'000);
}

} // namespace

class TestTeamServer : public QObject
{
    Q_OBJECT

    SelfSignedCertificate m_certificate;
    std::unique_ptr<Rig> m_hostile;
    std::unique_ptr<TestClient> m_hal;

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_certificate.ok(), qPrintable(m_certificate.error)); }
    void cleanupTestCase()
    {
        m_hal.reset();
        m_hostile.reset();
    }

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

    // A console that opens late gets the recent past, not the whole trail: the newest
    // events it asks for (at most 5,000), then the live stream, each once.
    void aFirstConnectionGetsTheRecentPastBounded()
    {
        Rig rig(m_certificate);
        rig.wait(10min);
        const QList<qint64> stored = rig.storedSeqsAfter(0);
        QVERIFY2(stored.size() > 40, qPrintable(QString::number(stored.size())));
        const auto opened = [&](TestClient &client, const QJsonValue &recent) {
            if (!client.open(rig.server->api().url()))
                return false;
            client.send(QJsonObject {
                { u"type"_s, u"hello"_s }, { u"protocol"_s, 1 }, { u"name"_s, u"kim"_s }, { u"recent"_s, recent } });
            return QTest::qWaitFor([&] { return !client.ofType(u"snapshot"_s).isEmpty(); }, 10'000);
        };
        TestClient kim(m_certificate.certPem);
        QVERIFY(opened(kim, 25));
        QTRY_COMPARE(kim.eventSeqs(), stored.mid(stored.size() - 25));
        rig.wait(2min);
        QTRY_COMPARE(kim.eventSeqs(), rig.storedSeqsAfter(stored.at(stored.size() - 26)));

        TestClient greedy(m_certificate.certPem); // asks for a trillion: gets at most 5,000, here all there is
        QVERIFY(opened(greedy, 1e12));
        QTRY_COMPARE(greedy.eventSeqs(), rig.storedSeqsAfter(0));
        TestClient odd(m_certificate.certPem); // `recent` that is not a number: from now
        QVERIFY(opened(odd, u"lots"_s));
        QTest::qWait(200);
        QVERIFY(odd.eventSeqs().isEmpty());
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

    // The console's charts read the server's metric source: the window ending at the
    // server's now, one point a step, the metric narrowed by the labels it names.
    void chartsReadTheServersMetricSource()
    {
        Rig rig(m_certificate);
        TestClient gus(m_certificate.certPem);
        QVERIFY(greeted(gus, rig, u"gus"_s));
        rig.wait(20min); // the fleet has a past

        const TimePoint asked = rig.clock.now();
        const QJsonObject read = readRange(rig, gus,
            { { u"metric"_s, poolMetric }, { u"labels"_s, labels({ { u"service"_s, u"orders-db"_s } }) },
                { u"span_ms"_s, 15 * 60'000 }, { u"step_ms"_s, 5'000 } });
        QVERIFY2(read.value(u"ok"_s).toBool(), qPrintable(read.value(u"reason"_s).toString()));
        const qint64 to = read.value(u"to"_s).toInteger();
        QVERIFY(to >= toMillis(asked) && to <= toMillis(asked) + 10'000); // the server's now when the read came
        QCOMPARE(read.value(u"from"_s).toInteger(), to - 15 * 60'000);
        QCOMPARE(read.value(u"step_ms"_s).toInteger(), 5'000);
        const QJsonArray series = read.value(u"series"_s).toArray();
        QCOMPARE(series.size(), 1);
        QCOMPARE(series.first()[u"labels"_s][u"service"_s].toString(), u"orders-db"_s);
        const QJsonArray points = series.first()[u"points"_s].toArray();
        QVERIFY2(points.size() > 100 && points.size() <= 181, qPrintable(QString::number(points.size())));
        for (const QJsonValue &p : points) {
            QVERIFY(p[0].toInteger() >= to - 15 * 60'000 && p[0].toInteger() <= to);
            QVERIFY(p[1].toDouble() >= 0 && p[1].toDouble() <= 1);
        }
    }

    // Whatever a client sends, the server reads only what a chart of its runbooks or
    // the alerts' vocabulary would, within the window and point limits, and says why
    // not; hostile reads never close the connection nor reach the source unbounded.
    void hostileRangeReadsAreRefused_data()
    {
        QTest::addColumn<QJsonObject>("fields");
        QTest::addColumn<QString>("reason");
        const QJsonObject base { { u"metric"_s, poolMetric }, { u"span_ms"_s, 15 * 60'000 }, { u"step_ms"_s, 5'000 } };
        const auto with = [&](const QString &key, const QJsonValue &value) {
            QJsonObject out = base;
            if (value.isUndefined())
                out.remove(key);
            else
                out.insert(key, value);
            return out;
        };
        QTest::addRow("a metric no chart reads")
            << with(u"metric"_s, u"node_memory_MemAvailable_bytes"_s) << u"no chart of this server reads"_s;
        QTest::addRow("PromQL") << with(u"metric"_s, u"sum(rate(http_requests_total[5m]))"_s)
                                << u"PromQL expression is not accepted"_s;
        QTest::addRow("a selector in the name")
            << with(u"metric"_s, poolMetric + u"{service=~\".+\"}"_s) << u"PromQL expression is not accepted"_s;
        QTest::addRow("no metric") << with(u"metric"_s, QJsonValue(QJsonValue::Undefined)) << u"needs \"metric\""_s;
        QTest::addRow("a metric of 10,000 characters")
            << with(u"metric"_s, QString(10'000, u'a')) << u"PromQL expression is not accepted"_s;
        QTest::addRow("labels as a list") << with(u"labels"_s, QJsonArray { u"service"_s }) << u"must be an object"_s;
        QTest::addRow("a regex for a label name")
            << with(u"labels"_s, labels({ { u"service=~"_s, u".*"_s } })) << u"not a label name"_s;
        QTest::addRow("a number for a value")
            << with(u"labels"_s, labels({ { u"service"_s, 42 } })) << u"needs a value of text"_s;
        QTest::addRow("a newline in a value")
            << with(u"labels"_s, labels({ { u"service"_s, u"a\nb"_s } })) << u"on one line"_s;
        QTest::addRow("a value of 10,000 characters")
            << with(u"labels"_s, labels({ { u"service"_s, QString(10'000, u'x') } })) << u"at most 200"_s;
        QJsonObject many;
        for (int i = 0; i < 9; ++i)
            many.insert(u"l%1"_s.arg(i), u"v"_s);
        QTest::addRow("nine labels") << with(u"labels"_s, many) << u"at most 8"_s;
        QTest::addRow("thirty days") << with(u"span_ms"_s, 30 * 86'400'000.0) << u"span_ms"_s;
        QTest::addRow("a span of 1e300") << with(u"span_ms"_s, 1e300) << u"span_ms"_s;
        QTest::addRow("a negative span") << with(u"span_ms"_s, -60'000) << u"span_ms"_s;
        QTest::addRow("no span") << with(u"span_ms"_s, QJsonValue(QJsonValue::Undefined)) << u"span_ms"_s;
        QTest::addRow("a step of 0") << with(u"step_ms"_s, 0) << u"step_ms"_s;
        QTest::addRow("a step as text") << with(u"step_ms"_s, u"5s"_s) << u"step_ms"_s;
        QTest::addRow("a step of half a second") << with(u"step_ms"_s, 500) << u"step_ms"_s;
        QJsonObject dense = with(u"span_ms"_s, 6 * 3'600'000);
        dense.insert(u"step_ms"_s, 1'000);
        QTest::addRow("21,600 points") << dense << u"at most 1000"_s;
        QTest::addRow("an end tomorrow") << with(u"to"_s, 4'000'000'000'000.0) << u"no later than the server's now"_s;
        QTest::addRow("an end as text") << with(u"to"_s, u"yesterday"_s) << u"no later than the server's now"_s;
        QTest::addRow("an end before 1970") << with(u"to"_s, -1) << u"no later than the server's now"_s;
    }

    void hostileRangeReadsAreRefused()
    {
        QFETCH(QJsonObject, fields);
        QFETCH(QString, reason);
        if (!m_hostile) { // one server for the table: each row is refused before any read
            m_hostile = std::make_unique<Rig>(m_certificate);
            m_hal = std::make_unique<TestClient>(m_certificate.certPem);
            QVERIFY(greeted(*m_hal, *m_hostile, u"hal"_s));
        }
        TestClient *hal = m_hal.get();
        fields.insert(u"type"_s, u"query_range"_s);
        const QJsonObject answer = hal->command(fields);
        QCOMPARE(answer.value(u"type"_s).toString(), u"reply"_s);
        QCOMPARE(answer.value(u"ok"_s).toBool(), false);
        const QString why = answer.value(u"reason"_s).toString();
        QVERIFY2(why.contains(reason), qPrintable(why));
        QVERIFY2(why.size() < 300, "a reason quotes enough to find the mistake, not all of it");
        QVERIFY(!answer.contains(u"series"_s));
        QCOMPARE(hal->socket.state(), QAbstractSocket::ConnectedState);
    }

    // A label value that tries to end the selector is a value, escaped: it matches no series.
    // A client that asks faster than the source answers is refused past 8 reads, not queued.
    void rangeReadsAreEscapedAndBounded()
    {
        Rig rig(m_certificate);
        TestClient ivy(m_certificate.certPem);
        QVERIFY(greeted(ivy, rig, u"ivy"_s));
        rig.wait(5min);
        const QJsonObject injected = readRange(rig, ivy,
            { { u"metric"_s, poolMetric },
                { u"labels"_s, labels({ { u"service"_s, u"orders-db\"} or vector(1) or x{a=\""_s } }) },
                { u"span_ms"_s, 60'000 }, { u"step_ms"_s, 5'000 } });
        QCOMPARE(injected.value(u"type"_s).toString(), u"reply"_s);
        QVERIFY(injected.value(u"series"_s).toArray().isEmpty());

        const QJsonObject read { { u"type"_s, u"query_range"_s }, { u"metric"_s, poolMetric }, { u"span_ms"_s, 60'000 },
            { u"step_ms"_s, 5'000 } };
        for (int i = 0; i < ClientSession::maxRangeReads + 2; ++i) {
            QJsonObject one = read;
            one.insert(u"request"_s, u"burst%1"_s.arg(i));
            ivy.send(one);
        }
        const auto replies = [&](bool ok) {
            int n = 0;
            for (const QJsonObject &m : ivy.ofType(u"reply"_s))
                n += m.value(u"request"_s).toString().startsWith(u"burst"_s) && m.value(u"ok"_s).toBool() == ok;
            return n;
        };
        QTRY_COMPARE(replies(false), 2); // at once: the clock has not moved, the source has answered none
        for (const QJsonObject &m : ivy.ofType(u"reply"_s)) {
            if (!m.value(u"ok"_s).toBool())
                QVERIFY2(m.value(u"reason"_s).toString().contains(u"not answered yet"_s),
                    qPrintable(m.value(u"reason"_s).toString()));
        }
        rig.wait(Duration { 1'000 });
        QTRY_COMPARE(replies(true), ClientSession::maxRangeReads);
        // Answered, the reads are free again.
        QVERIFY(readRange(rig, ivy, read).value(u"ok"_s).toBool());

        // A server whose configuration names no metric source says so.
        RangeQueries none(rig.run->engine());
        QString error;
        QVERIFY(!none.parse(read, &error));
        QVERIFY2(error.contains(u"no metric source"_s), qPrintable(error));
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
