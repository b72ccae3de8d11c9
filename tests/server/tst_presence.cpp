// Who else is looking: consoles say which incident they have open (`looking`), and the
// team server tells every console who has which incident open (`presence`). Over TLS with
// real WebSocket clients on the real engine in virtual time; then the Presence alone, fed
// what a hostile client could send.
#include "server/presence.h"
#include "testclient.h"
#include "tests/support/teamserverrig.h"

#include <QSignalSpy>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;
using antibody::test::SelfSignedCertificate;
using antibody::test::TestClient;
using Rig = antibody::test::TeamServerRig;

namespace {

bool greeted(TestClient &client, const Rig &rig, const QString &name)
{
    if (!client.open(rig.server->api().url()))
        return false;
    client.hello(name);
    return QTest::qWaitFor([&] { return client.ofType(u"welcome"_s).size() == 1; }, 10'000);
}

void look(TestClient &client, const QJsonValue &incident)
{
    client.send(QJsonObject { { u"type"_s, u"looking"_s }, { u"incident"_s, incident } });
}

// What the newest `presence` a client got says: incident → people.
QJsonObject presence(const TestClient &client)
{
    const QList<QJsonObject> all = client.ofType(u"presence"_s);
    return all.isEmpty() ? QJsonObject { { u"none"_s, true } } : all.last().value(u"incidents"_s).toObject();
}

QJsonObject viewers(std::initializer_list<std::pair<QString, QStringList>> pairs)
{
    QJsonObject out;
    for (const auto &[incident, people] : pairs)
        out.insert(incident, QJsonArray::fromStringList(people));
    return out;
}

// Some incident the demo's engine holds: the first within its first minutes.
QString anIncident(Rig &rig)
{
    for (int i = 0; i < 120 && rig.run->engine().incidents().isEmpty(); ++i)
        rig.wait(5s);
    return rig.run->engine().incidents().isEmpty() ? QString() : rig.run->engine().incidents().first().id;
}

// A server holding an incident, and two people greeted on it who look at nothing yet.
struct TwoPeople
{
    TwoPeople(const SelfSignedCertificate &certificate, const QString &first, const QString &second)
        : rig(certificate)
        , incident(anIncident(rig))
        , one(certificate.certPem)
        , two(certificate.certPem)
    {
        // Each greeting is followed by the picture now: nobody looks at anything.
        ready = !incident.isEmpty() && greeted(one, rig, first) && greeted(two, rig, second)
            && QTest::qWaitFor([&] { return presence(two) == QJsonObject {}; }, 5'000);
    }

    Rig rig;
    QString incident;
    TestClient one;
    TestClient two;
    bool ready = false;
};

} // namespace

class TestPresence : public QObject
{
    Q_OBJECT

    SelfSignedCertificate m_certificate;

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_certificate.ok(), qPrintable(m_certificate.error)); }

    // Alice opens an incident: Bob's console is told, and so is hers (the server leaves
    // nobody out; each console leaves out its own person). She closes it, opens it again
    // and goes away: the others are told each time.
    void consolesAreToldWhoLooks()
    {
        TwoPeople people(m_certificate, u"alice"_s, u"bob"_s);
        QVERIFY(people.ready);
        Rig &rig = people.rig;
        const QString &incident = people.incident;
        TestClient &alice = people.one, &bob = people.two;

        look(alice, incident);
        QTRY_COMPARE(presence(bob), viewers({ { incident, { u"alice"_s } } }));
        QTRY_COMPARE(presence(alice), viewers({ { incident, { u"alice"_s } } }));
        look(bob, incident);
        QTRY_COMPARE(presence(alice), viewers({ { incident, { u"alice"_s, u"bob"_s } } }));

        // A console that joins now is told at once.
        TestClient carol(m_certificate.certPem);
        QVERIFY(greeted(carol, rig, u"carol"_s));
        QTRY_COMPARE(presence(carol), viewers({ { incident, { u"alice"_s, u"bob"_s } } }));

        look(alice, QJsonValue::Null); // nothing selected
        QTRY_COMPARE(presence(carol), viewers({ { incident, { u"bob"_s } } }));
        look(bob, incident); // the same again: nothing to tell
        look(alice, incident);
        QTRY_COMPARE(presence(carol), viewers({ { incident, { u"alice"_s, u"bob"_s } } }));

        alice.socket.close();
        QTRY_COMPARE(presence(carol), viewers({ { incident, { u"bob"_s } } }));
        QTRY_COMPARE(presence(bob), viewers({ { incident, { u"bob"_s } } }));
        bob.socket.abort(); // gone without a close frame: the same
        QTRY_COMPARE(presence(carol), QJsonObject {});
    }

    // What a hostile client sends: ids the server never held, a 60 KiB id, numbers,
    // objects, and 5,000 messages in a burst. Nothing crashes, no id the server does not
    // hold reaches anyone, the connection stays, and the others get a bounded number of
    // `presence` messages, the last one right.
    void hostileLookingIsBounded()
    {
        TwoPeople people(m_certificate, u"hal"_s, u"bob"_s);
        QVERIFY(people.ready);
        Rig &rig = people.rig;
        const QString &incident = people.incident;
        TestClient &hal = people.one, &bob = people.two;
        const qsizetype before = bob.ofType(u"presence"_s).size();

        const QList<QJsonValue> garbage { u"INC-never-held"_s, QString(60'000, u'x'), 42, true,
            QJsonObject { { u"id"_s, incident } }, QJsonArray { incident }, u""_s, u"<b>INC</b>"_s };
        for (int i = 0; i < 5'000; ++i)
            look(hal, i % 2 == 0 ? garbage.at(i / 2 % garbage.size()) : QJsonValue(u"INC-%1"_s.arg(i)));
        look(hal, incident);
        QTRY_COMPARE(presence(bob), viewers({ { incident, { u"hal"_s } } }));
        rig.wait(1s);
        const qsizetype told = bob.ofType(u"presence"_s).size() - before;
        QVERIFY2(told >= 1 && told <= 20, qPrintable(QString::number(told)));
        for (const QJsonObject &m : bob.ofType(u"presence"_s)) {
            for (const QString &id : m.value(u"incidents"_s).toObject().keys())
                QCOMPARE(id, incident);
        }
        QCOMPARE(hal.socket.state(), QAbstractSocket::ConnectedState);
        QCOMPARE(rig.server->api().clientCount(), 2);

        // A client that has not said hello is closed by its first message, `looking` or not.
        TestClient eve(m_certificate.certPem);
        QVERIFY(eve.open(rig.server->api().url()));
        look(eve, incident);
        QTRY_COMPARE(eve.socket.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(presence(bob), viewers({ { incident, { u"hal"_s } } }));
    }

    // The Presence alone: a look at an id not held, too long or not text is a look at
    // nothing; a session without a name is not shown; bursts announce once.
    void presenceNamesHeldIncidentsOnly()
    {
        QSet<QString> held { u"INC-1"_s, u"INC-2"_s };
        Presence presence([&] { return held; }, nullptr, 20ms);
        QSignalSpy changed(&presence, &Presence::changed);
        QObject a, b, c, d;
        presence.look(&a, u"alice"_s, u"INC-1"_s);
        presence.look(&b, u"bob"_s, u"INC-404"_s);
        presence.look(&c, QString(), u"INC-1"_s);
        presence.look(&d, u"dave"_s, QString(Presence::maxIdLength + 1, u'I'));
        for (int i = 0; i < 1'000; ++i)
            presence.look(&b, u"bob"_s, i % 2 ? u"INC-2"_s : u"INC-1"_s);
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(presence.message().value(u"incidents"_s).toObject(),
            viewers({ { u"INC-1"_s, { u"alice"_s } }, { u"INC-2"_s, { u"bob"_s } } }));

        held.remove(u"INC-2"_s); // the incident ended: nobody is shown on it
        QCOMPARE(presence.message().value(u"incidents"_s).toObject(), viewers({ { u"INC-1"_s, { u"alice"_s } } }));
        presence.look(&a, u"alice"_s, 7);
        presence.leave(&b);
        presence.leave(&b);
        QTRY_COMPARE(changed.size(), 2);
        QCOMPARE(presence.message().value(u"incidents"_s).toObject(), QJsonObject {});
    }
};

QTEST_MAIN(TestPresence)
#include "tst_presence.moc"
