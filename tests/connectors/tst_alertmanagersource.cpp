// AlertmanagerSource against the real Alertmanager of scripts/realstack, fed by the
// real Prometheus rule, with the real pool exhausted (label realstack).
#include "connectors/alertmanager/alertmanagersource.h"
#include "connectors/http/httpclient.h"
#include "connectors/work/cancellation.h"
#include "engine/core/systemclock.h"
#include "faultproxy.h"
#include "realstack.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTest>
#include <QUuid>

using namespace Qt::StringLiterals;
using namespace antibody;
using antibody::test::FaultProxy;
using antibody::test::RealStack;

Q_DECLARE_METATYPE(antibody::FeedHealth)

namespace {

const QString poolAlert = u"DbConnectionPoolExhausted"_s;

AlertmanagerConfig configFor(const QUrl &url)
{
    AlertmanagerConfig c;
    c.url = url;
    c.http.configKey = u"sources.alertmanager"_s;
    c.http.totalTimeout = Duration { 1'000 };
    c.http.connectTimeout = Duration { 500 };
    c.http.maxAttempts = 1;
    c.pollInterval = Duration { 200 };
    c.restartGrace = Duration { 10'000 };
    c.health.slowAfter = Duration { 700 };
    c.health.downAfterFailures = 3;
    return c;
}

// Every change a source reported, flattened.
struct Recorder
{
    QList<AlertChange> changes;

    int count(AlertChange::Kind kind, const QString &name = poolAlert) const
    {
        int n = 0;
        for (const AlertChange &c : changes)
            n += c.kind == kind && c.alert.name == name;
        return n;
    }
    void attach(AlertSource &source)
    {
        QObject::connect(
            &source, &AlertSource::alertsChanged, &source, [this](const QList<AlertChange> &c) { changes += c; });
    }
};

// Posts alerts to the real Alertmanager as Prometheus does; `endsAt` in the past resolves them.
bool postAlerts(const QList<Labels> &alerts, TimePoint endsAt)
{
    QJsonArray body;
    for (const Labels &labels : alerts) {
        QJsonObject l;
        for (auto it = labels.cbegin(); it != labels.cend(); ++it)
            l.insert(it.key(), it.value());
        body.append(QJsonObject { { u"labels"_s, l }, { u"endsAt"_s, formatTime(endsAt) } });
    }
    QObject context;
    HttpOptions options;
    options.configKey = u"test"_s;
    HttpClient http(&context, options, u"test"_s, 1);
    QUrl url = RealStack::alertmanager();
    url.setPath(u"/api/v2/alerts"_s);
    const Cancellation never;
    return http.perform(HttpRequest::postJson(url, QJsonDocument(body).toJson(QJsonDocument::Compact)), never).ok();
}

} // namespace

// The tests share one exhausted pool: the first exhausts it, the last releases it.
class TestAlertmanagerSource : public QObject
{
    Q_OBJECT

    SystemClock m_clock;

private Q_SLOTS:
    void initTestCase()
    {
        qRegisterMetaType<FeedHealth>();
        QString log;
        QVERIFY2(RealStack::run({ u"release"_s }, &log), qPrintable(log));
    }

    void cleanupTestCase()
    {
        RealStack::run({ u"release"_s });
        RealStack::run({ u"up"_s });
    }

    void firesWhenThePoolIsExhausted()
    {
        AlertmanagerSource source(configFor(RealStack::alertmanager()), m_clock);
        Recorder recorder;
        recorder.attach(source);
        QSignalSpy health(&source, &AlertSource::healthChanged);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(source.health().state, FeedHealth::State::Healthy, 5'000);
        QCOMPARE(recorder.count(AlertChange::Kind::Firing), 0);

        QString log;
        QVERIFY2(RealStack::run({ u"exhaust"_s }, &log), qPrintable(log));
        // The shipped rule fires after 15 s over 90% (rules/antibody.rules.yml).
        QTRY_COMPARE_WITH_TIMEOUT(recorder.count(AlertChange::Kind::Firing), 1, 40'000);
        const Alert a = recorder.changes.last().alert;
        QCOMPARE(a.service(), u"orders-db"_s);
        QCOMPARE(a.severity(), u"critical"_s);
        QVERIFY(!a.fingerprint.isEmpty());
        QVERIFY(a.startsAt <= a.observedAt);
        QVERIFY(a.annotations.value(u"summary"_s).contains(u"orders-db"_s));
        QCOMPARE(source.active().size(), 1);
        // Polling again does not report it again.
        QTest::qWait(1'000);
        QCOMPARE(recorder.count(AlertChange::Kind::Firing), 1);
        QCOMPARE(recorder.count(AlertChange::Kind::Updated), 0);
    }

    void filterNarrows_data()
    {
        QTest::addColumn<QString>("matcher");
        QTest::addColumn<int>("alerts");
        QTest::addRow("service=orders-db") << u"service=\"orders-db\""_s << 1;
        QTest::addRow("service=checkout-svc") << u"service=\"checkout-svc\""_s << 0;
        QTest::addRow("regex") << u"alertname=~\"DbConnection.*\""_s << 1;
    }
    void filterNarrows()
    {
        QFETCH(QString, matcher);
        QFETCH(int, alerts);
        AlertmanagerConfig c = configFor(RealStack::alertmanager());
        c.filter = { matcher };
        AlertmanagerSource source(c, m_clock);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(source.health().state, FeedHealth::State::Healthy, 5'000);
        QTest::qWait(400);
        QCOMPARE(source.active().size(), alerts);
    }

    void faultsResolveNothing_data()
    {
        QTest::addColumn<int>("mode");
        QTest::addColumn<int>("delayMs");
        QTest::addColumn<QString>("says");
        QTest::addRow("HTTP 500") << int(FaultProxy::Mode::ServerError) << 0 << u"HTTP 500"_s;
        QTest::addRow("malformed JSON") << int(FaultProxy::Mode::Malformed) << 0 << u"unusable"_s;
        QTest::addRow("timeout") << int(FaultProxy::Mode::Slow) << 3'000 << u"no complete answer"_s;
        QTest::addRow("connection dropped") << int(FaultProxy::Mode::Refuse) << 0 << u"GET http://127.0.0.1"_s;
    }
    void faultsResolveNothing()
    {
        QFETCH(int, mode);
        QFETCH(int, delayMs);
        QFETCH(QString, says);
        FaultProxy proxy(RealStack::alertmanager());
        QVERIFY(proxy.listen());
        AlertmanagerSource source(configFor(proxy.url()), m_clock);
        Recorder recorder;
        recorder.attach(source);
        QSignalSpy health(&source, &AlertSource::healthChanged);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.count(AlertChange::Kind::Firing), 1, 5'000);

        proxy.setMode(FaultProxy::Mode(mode), delayMs);
        QTRY_COMPARE_WITH_TIMEOUT(source.health().state, FeedHealth::State::Degraded, 5'000);
        QVERIFY2(source.health().reason.contains(says), qPrintable(source.health().reason));
        QTRY_COMPARE_WITH_TIMEOUT(source.health().state, FeedHealth::State::Down, 15'000);
        // However long it fails, the firing alert is not taken as resolved.
        QCOMPARE(recorder.count(AlertChange::Kind::Resolved), 0);
        QCOMPARE(source.active().size(), 1);

        proxy.setMode(FaultProxy::Mode::Pass);
        QTRY_COMPARE_WITH_TIMEOUT(source.health().state, FeedHealth::State::Healthy, 10'000);
        QTest::qWait(500);
        QCOMPARE(recorder.count(AlertChange::Kind::Firing), 1); // the same alert, not a second one
        QCOMPARE(recorder.count(AlertChange::Kind::Resolved), 0);
        QList<FeedHealth::State> states;
        for (const auto &args : health)
            states << args.at(0).value<FeedHealth>().state;
        QCOMPARE(states,
            (QList<FeedHealth::State> { FeedHealth::State::Healthy, FeedHealth::State::Degraded,
                FeedHealth::State::Down, FeedHealth::State::Healthy }));
    }

    void slowIsDegraded()
    {
        FaultProxy proxy(RealStack::alertmanager());
        QVERIFY(proxy.listen());
        AlertmanagerSource source(configFor(proxy.url()), m_clock);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(source.health().state, FeedHealth::State::Healthy, 5'000);
        proxy.setMode(FaultProxy::Mode::Slow, 800); // answers, but slower than slow_after (700 ms)
        QTRY_COMPARE_WITH_TIMEOUT(source.health().state, FeedHealth::State::Degraded, 5'000);
        QVERIFY(source.health().reason.startsWith(u"slow"_s));
        proxy.setMode(FaultProxy::Mode::Pass);
        QTRY_COMPARE_WITH_TIMEOUT(source.health().state, FeedHealth::State::Healthy, 5'000);
    }

    void survivesARestartOfAlertmanager()
    {
        AlertmanagerSource source(configFor(RealStack::alertmanager()), m_clock);
        Recorder recorder;
        recorder.attach(source);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.count(AlertChange::Kind::Firing), 1, 5'000);

        // A restart forgets every alert until Prometheus sends them again (2 s on the real stack).
        QString log;
        QVERIFY2(RealStack::run({ u"stop"_s, u"alertmanager"_s }, &log), qPrintable(log));
        QTRY_COMPARE_WITH_TIMEOUT(source.health().state, FeedHealth::State::Down, 10'000);
        QVERIFY2(source.health().reason.contains(u"could not connect"_s), qPrintable(source.health().reason));
        QVERIFY2(RealStack::run({ u"start"_s, u"alertmanager"_s }, &log), qPrintable(log));
        QTRY_COMPARE_WITH_TIMEOUT(source.health().state, FeedHealth::State::Healthy, 10'000);
        QTest::qWait(4'000); // across the moment Alertmanager answers with no alerts at all
        QCOMPARE(recorder.count(AlertChange::Kind::Resolved), 0);
        QCOMPARE(recorder.count(AlertChange::Kind::Firing), 1);
        QCOMPARE(source.active().size(), 1);
    }

    // Finding 17 of the reliability review: the alerts of one poll were bounded only by
    // the 16 MiB answer. Beyond max_alerts the most severe are read, the feed is degraded
    // (which holds automated actions) and nothing resolves, until the storm fits again.
    void aStormBeyondMaxAlertsReadsTheMostSevereAndResolvesNothing()
    {
        const QString storm = QUuid::createUuid().toString(QUuid::WithoutBraces);
        QList<Labels> alerts;
        for (int i = 0; i < 8; ++i)
            alerts << Labels { { u"alertname"_s, u"DiskFilling"_s }, { u"storm"_s, storm },
                { u"service"_s, u"svc-%1"_s.arg(i) }, { u"severity"_s, i < 3 ? u"critical"_s : u"warning"_s } };
        const TimePoint later = m_clock.now() + Duration { 300'000 };
        QVERIFY(postAlerts(alerts, later));
        // Whatever happens below, the other tests find Alertmanager as it was.
        const auto cleanup = qScopeGuard([&] { postAlerts(alerts, m_clock.now() - Duration { 1'000 }); });
        AlertmanagerConfig c = configFor(RealStack::alertmanager());
        c.filter = { u"storm=\"%1\""_s.arg(storm) };
        c.maxAlerts = 5;
        AlertmanagerSource source(c, m_clock);
        Recorder recorder;
        recorder.attach(source);
        QSignalSpy health(&source, &AlertSource::healthChanged);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.count(AlertChange::Kind::Firing, u"DiskFilling"_s), 5, 5'000);
        QCOMPARE(source.health().state, FeedHealth::State::Degraded);
        QVERIFY2(source.health().reason.contains(u"3 alerts beyond the cap of 5"_s)
                && source.health().reason.contains(u"sources.alertmanager.max_alerts"_s),
            qPrintable(source.health().reason));
        int critical = 0;
        for (const Alert &a : source.active())
            critical += a.severity() == u"critical"_s;
        QCOMPARE(critical, 3);

        // Three of the read ones resolve at Alertmanager: the storm fits, and only those resolve.
        QVERIFY(postAlerts(alerts.mid(0, 3), m_clock.now() - Duration { 1'000 }));
        // Alertmanager answers with an alert for a few seconds after its endsAt.
        QTRY_COMPARE_WITH_TIMEOUT(source.health().state, FeedHealth::State::Healthy, 15'000);
        QTRY_COMPARE_WITH_TIMEOUT(source.active().size(), 5, 15'000);
        QCOMPARE(recorder.count(AlertChange::Kind::Resolved, u"DiskFilling"_s), 3);
        QCOMPARE(health.last().at(0).value<FeedHealth>().reason, u"complete again"_s);
        QVERIFY(postAlerts(alerts, m_clock.now() - Duration { 1'000 }));
        QTRY_VERIFY_WITH_TIMEOUT(source.active().isEmpty(), 15'000);
    }

    void resolvedWhenTheFingerprintDisappears()
    {
        AlertmanagerSource source(configFor(RealStack::alertmanager()), m_clock);
        Recorder recorder;
        recorder.attach(source);
        source.start();
        QTRY_COMPARE_WITH_TIMEOUT(recorder.count(AlertChange::Kind::Firing), 1, 5'000);
        const QString fingerprint = source.active().first().fingerprint;
        QString log;
        QVERIFY2(RealStack::run({ u"release"_s }, &log), qPrintable(log));
        QTRY_COMPARE_WITH_TIMEOUT(recorder.count(AlertChange::Kind::Resolved), 1, 20'000);
        QCOMPARE(recorder.changes.last().alert.fingerprint, fingerprint);
        QCOMPARE(recorder.changes.last().alert.name, poolAlert); // a resolution says what resolved
        QVERIFY(source.active().isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestAlertmanagerSource)
#include "tst_alertmanagersource.moc"
