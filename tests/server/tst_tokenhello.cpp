// Who a client is, from the API token in its hello (docs/team.md, "Identities"): the
// gate on its own in virtual time (verdicts, reasons, the rate limit per address and
// the valid token that still gets in past it), then
// through the real client API over TLS on the demo's engine: a token names its subject
// whatever hello's name says; a bad one is refused with the reason and closed.
#include "engine/core/virtualclock.h"
#include "engine/store/memorytokens.h"
#include "engine/store/sqlitetokens.h"
#include "server/tokengate.h"
#include "testclient.h"
#include "tests/support/teamserverrig.h"

#include <QElapsedTimer>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using antibody::test::SelfSignedCertificate;
using antibody::test::TestClient;
using Rig = antibody::test::TeamServerRig;

namespace {

QJsonValue text(const QString &s)
{
    return QJsonValue(s);
}

// Tokens of three people as an admin made them: alice's valid, bob's expired, carol's revoked.
struct People
{
    explicit People(TokenRecords &records, TimePoint now)
    {
        alice = ApiTokens::issue(u"alice"_s, { u"oncall"_s }, u"root"_s, now, ApiTokens::defaultLifetime);
        bob = ApiTokens::issue(u"bob"_s, {}, u"root"_s, now - 2h, 1h);
        carol = ApiTokens::issue(u"carol"_s, {}, u"root"_s, now - 1h, ApiTokens::defaultLifetime);
        stranger = ApiTokens::issue(u"mallory"_s, {}, u"root"_s, now, ApiTokens::defaultLifetime); // never stored
        for (const IssuedToken *t : { &alice, &bob, &carol })
            ok = records.createToken(t->record).done && ok;
        ok = records.revokeToken(carol.record.id, u"root"_s, now - 30min).done && ok;
    }
    IssuedToken alice, bob, carol, stranger;
    bool ok = true;
};

// Tokens in memory that count their reads by id: what the rate limit spares the store.
class CountedTokens : public MemoryTokens
{
public:
    std::optional<ApiToken> findToken(const QString &id) override
    {
        ++reads;
        return MemoryTokens::findToken(id);
    }
    int reads = 0;
};

} // namespace

class TestTokenHello : public QObject
{
    Q_OBJECT

    SelfSignedCertificate m_certificate;

    static QString reasonOf(const TestClient &client)
    {
        const QList<QJsonObject> refused = client.ofType(u"refused"_s);
        return refused.isEmpty() ? QString() : refused.front().value(u"reason"_s).toString();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_certificate.ok(), qPrintable(m_certificate.error)); }

    void theVerdictAndItsReason_data()
    {
        QTest::addColumn<QString>("who"); // alice, bob, carol, stranger, or the text itself
        QTest::addColumn<bool>("admitted");
        QTest::addColumn<QString>("reason");
        QTest::addRow("valid") << u"alice"_s << true << QString();
        QTest::addRow("expired") << u"bob"_s << false << u"expired on 2026-12-02T02:00:00.000Z: ask an admin"_s;
        QTest::addRow("revoked") << u"carol"_s << false << u"was revoked on 2026-12-02T02:30:00.000Z"_s;
        QTest::addRow("unknown") << u"stranger"_s << false << u"is not known here"_s;
        QTest::addRow("malformed") << u"abt_zz_x"_s << false << u"not an Antibody token"_s;
        QTest::addRow("a password") << u"hunter2"_s << false << u"does not start with abt_"_s;
        QTest::addRow("huge") << QString(60'000, u'a') << false << u"not an Antibody token"_s;
        QTest::addRow("unicode") << u"abt_0123456789ab_ünïcødé"_s << false << u"damaged"_s;
    }

    void theVerdictAndItsReason()
    {
        QFETCH(QString, who);
        QFETCH(bool, admitted);
        QFETCH(QString, reason);
        VirtualClock clock(*parseTime(u"2026-12-02T03:00:00Z"_s));
        MemoryTokens records;
        People people(records, clock.now());
        QVERIFY(people.ok);
        TokenGate gate(records, clock, {});
        const QHash<QString, QString> texts { { u"alice"_s, people.alice.text }, { u"bob"_s, people.bob.text },
            { u"carol"_s, people.carol.text }, { u"stranger"_s, people.stranger.text } };
        const QString token = texts.value(who, who);
        const TokenGate::Admission a = gate.admit(u"10.0.0.7"_s, text(token), u"mallory"_s);
        QCOMPARE(a.admitted, admitted);
        if (admitted) {
            QCOMPARE(a.subject, u"alice"_s); // the token's subject, not hello's name
            QCOMPARE(a.tokenId, people.alice.record.id);
        } else {
            QVERIFY2(a.reason.contains(reason), qPrintable(a.reason));
            QVERIFY(a.reason.size() < 400);
            QVERIFY2(
                !a.reason.contains(token.mid(17, 20)) || token.size() < 40, qPrintable(a.reason)); // never the secret
        }
    }

    void withoutATokenTheNameStandsUnlessTokensAreRequired()
    {
        VirtualClock clock;
        MemoryTokens records;
        TokenGate open(records, clock, {});
        const auto named = open.admit(u"10.0.0.7"_s, QJsonValue(QJsonValue::Undefined), u"dave"_s);
        QVERIFY(named.admitted);
        QCOMPARE(named.subject, u"dave"_s);
        QVERIFY(!open.admit(u"10.0.0.7"_s, QJsonValue(42), u"dave"_s).admitted); // given, so checked
        TokenGate strict(records, clock, { true, 10, 60s });
        const auto refused = strict.admit(u"10.0.0.7"_s, QJsonValue(QJsonValue::Undefined), u"dave"_s);
        QVERIFY(!refused.admitted);
        QVERIFY2(refused.reason.contains(u"requires a token (server.require_tokens)"_s), qPrintable(refused.reason));
    }

    // Ten failures from one address in a minute, then that address is refused at once
    // until the minute has passed; other addresses are not. A valid token still gets in
    // from it (the person behind the same NAT, or on the machine the attacker shares);
    // every other hello gets the limit's reason, a malformed token without a read of the
    // store, a well-formed one after one read by its id.
    void failedTokensAreRateLimitedPerAddress()
    {
        VirtualClock clock(*parseTime(u"2026-12-02T03:00:00Z"_s));
        CountedTokens records;
        People people(records, clock.now());
        TokenGate gate(records, clock, {});
        for (int i = 0; i < 10; ++i) {
            QVERIFY(!gate.admit(u"10.0.0.66"_s, text(people.stranger.text), {}).admitted);
            clock.advanceBy(1s);
        }
        const auto limited = gate.admit(u"10.0.0.66"_s, text(people.stranger.text), {});
        QVERIFY(!limited.admitted);
        QVERIFY2(limited.reason.contains(u"too many failed tokens from 10.0.0.66 (10 in 1m): try again after "
                                         "2026-12-02T03:01:00.000Z"_s),
            qPrintable(limited.reason));
        const auto alice = gate.admit(u"10.0.0.66"_s, text(people.alice.text), u"mallory"_s);
        QVERIFY(alice.admitted);
        QCOMPARE(alice.subject, u"alice"_s);
        QCOMPARE(alice.tokenId, people.alice.record.id);

        QString guess = people.alice.text; // alice's id, another secret
        guess[17] = guess.at(17) == u'A' ? u'B' : u'A';
        for (const QJsonValue &other : { text(people.bob.text), text(people.carol.text), text(guess),
                 text(u"abt_zz_x"_s), QJsonValue(42), QJsonValue(QJsonValue::Undefined) }) {
            const auto refused = gate.admit(u"10.0.0.66"_s, other, u"alice"_s);
            QVERIFY(!refused.admitted);
            QVERIFY2(
                refused.reason.startsWith(u"too many failed tokens from 10.0.0.66 "_s), qPrintable(refused.reason));
        }
        QVERIFY(gate.admit(u"10.0.0.7"_s, text(people.alice.text), {}).admitted);

        // 1,000 more: all refused, half of them malformed and never read; none extends the wait.
        const int readsBefore = records.reads;
        for (int i = 0; i < 500; ++i) {
            QVERIFY(!gate.admit(u"10.0.0.66"_s, text(people.stranger.text), {}).admitted);
            QVERIFY(!gate.admit(u"10.0.0.66"_s, text(u"hunter2"_s), {}).admitted);
        }
        QCOMPARE(records.reads - readsBefore, 500);
        clock.advanceBy(50s); // 03:01:00: the first failure is a minute old
        const auto own = gate.admit(u"10.0.0.66"_s, text(people.bob.text), {});
        QVERIFY2(own.reason.contains(u"expired on"_s), qPrintable(own.reason)); // its own reason again
        QVERIFY(gate.admit(u"10.0.0.66"_s, text(people.alice.text), {}).admitted);
    }

    // Over TLS on the demo's engine: alice's token names her, whatever her hello says;
    // bob's expired token and carol's revoked one are refused with the reason, and closed.
    void theServerNamesTheTokensSubjectAndRefusesBadOnes()
    {
        Rig rig(m_certificate);
        SqliteTokens records(rig.store->session());
        People people(records, rig.clock.now());
        QVERIFY(people.ok);
        TokenGate gate(records, rig.clock, {});
        rig.checkTokensWith(gate);

        TestClient alice(m_certificate.certPem);
        QVERIFY(alice.open(rig.server->api().url()));
        alice.send(QJsonObject { { u"type"_s, u"hello"_s }, { u"protocol"_s, 1 }, { u"name"_s, u"mallory"_s },
            { u"token"_s, people.alice.text } });
        QTRY_COMPARE(alice.ofType(u"welcome"_s).size(), 1);

        for (const IssuedToken *bad : { &people.bob, &people.carol }) {
            TestClient client(m_certificate.certPem);
            QVERIFY(client.open(rig.server->api().url()));
            client.send(QJsonObject { { u"type"_s, u"hello"_s }, { u"protocol"_s, 1 }, { u"name"_s, u"alice"_s },
                { u"token"_s, bad->text } });
            QTRY_VERIFY(client.socket.state() == QAbstractSocket::UnconnectedState);
            QVERIFY(client.ofType(u"welcome"_s).isEmpty());
            QVERIFY2(reasonOf(client).contains(u"ask an admin for a new one: antibodyctl token create"_s),
                qPrintable(reasonOf(client)));
            QVERIFY2(client.socket.closeReason().startsWith(u"token abt_"_s), qPrintable(client.socket.closeReason()));
        }

        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY2(incident, "the demo's region failover never waited for approval");
        const QJsonObject cancelled
            = alice.command(QJsonObject { { u"type"_s, u"cancel"_s }, { u"incident"_s, incident->id } });
        QVERIFY2(cancelled.value(u"ok"_s).toBool(), qPrintable(cancelled.value(u"reason"_s).toString()));
        QTRY_VERIFY(rig.stored(u"cancelled"_s, incident->id, u"cancelled by alice"_s));
        QVERIFY(!rig.stored(u"cancelled"_s, incident->id, u"mallory"_s));
    }
};

QTEST_MAIN(TestTokenHello)
#include "tst_tokenhello.moc"
