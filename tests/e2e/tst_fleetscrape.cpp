// The simulated fleet as a real scrape target (issue 22, item 3): `antibodyctl simulate
// --serve-metrics` plays a scenario in real time while Debian's Prometheus 2.42 scrapes
// it every second with the shipped rules (rules/antibody.rules.yml) loaded, and the
// shipped alert goes pending, then firing, in Prometheus itself: the pool (postgres_exporter),
// the crash loop (kube-state-metrics' owner chain), the certificate (blackbox_exporter) and,
// pending only, the degraded region (the services' request histogram); and `antibodyctl
// doctor` on that Prometheus finds every series and alert the shipped runbooks read. Each row starts its
// own simulator and its own Prometheus (a test-only prometheus.yml in a temporary
// folder), so nothing mixes with the real stack's orders-db; waits are on real
// external servers, each with a deadline.

#include "monitoringrig.h"
#include "tests/support/httpget.h"

#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTcpServer>
#include <QTemporaryDir>
#include <QTest>
#include <QUrlQuery>

using namespace Qt::StringLiterals;

using antibody::test::Child;
using antibody::test::HttpAnswer;
using antibody::test::httpAnswer;

namespace {

// A scenario served by `simulate --serve-metrics` (at --level 0: the runbooks only alert, so
// the fault stays for Prometheus to see) and a Prometheus of its own scraping it, configured
// as docs/simulator.md does: the shipped rules, one job, honor_labels (the fleet is many
// exporters behind one target, and their `instance` labels are theirs).
struct ScrapedFleet
{
    // Empty when both run; else what went wrong.
    QString start(const QString &scenario, const QString &pace)
    {
        if (!dir.isValid())
            return u"no temporary folder"_s;
        simulator.process().start(QStringLiteral(ANTIBODYCTL),
            { u"simulate"_s, u"--scenario"_s, scenario, u"--serve-metrics"_s, u"127.0.0.1:0"_s, u"--pace"_s, pace,
                u"--level"_s, u"0"_s, u"--hold"_s, u"forever"_s });
        if (!simulator.process().waitForReadyRead(20'000))
            return u"simulate printed nothing: "_s + QString::fromUtf8(simulator.process().readAllStandardError());
        // The first line says where; scripts read the port from it.
        const QString first = QString::fromUtf8(simulator.process().readLine()).trimmed();
        const QString prefix = u"Serving the simulated fleet's metrics on "_s;
        metrics = QUrl(first.mid(prefix.size()));
        if (!first.startsWith(prefix) || metrics.host() != u"127.0.0.1"_s || metrics.port() <= 0)
            return u"the first line is not the address: "_s + first;

        QUrl prometheusAt;
        const QString why = antibody::test::startPrometheus(
            prometheus, QDir(dir.path()), u"127.0.0.1:%1"_s.arg(metrics.port()), QUrl(), &prometheusAt);
        if (!why.isEmpty())
            return why;
        prometheusUrl = prometheusAt.toString();
        api = prometheusUrl + u"/api/v1/"_s;
        return {};
    }

    // How many series Prometheus has for `query` now (0 without an answer).
    qsizetype series(const QString &query) const
    {
        QUrl url(api + u"query"_s);
        url.setQuery(QUrlQuery { { u"query"_s, query } });
        return QJsonDocument::fromJson(httpAnswer(url).body)
            .object()
            .value(u"data"_s)
            .toObject()
            .value(u"result"_s)
            .toArray()
            .size();
    }

    QTemporaryDir dir;
    Child simulator;
    Child prometheus;
    QUrl metrics;
    QString prometheusUrl;
    QString api;
};

} // namespace

class TestFleetScrape : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shippedAlertInPrometheus_data()
    {
        QTest::addColumn<QString>("scenario");
        QTest::addColumn<QString>("pace");
        QTest::addColumn<QString>("alert");
        QTest::addColumn<QVariantMap>("labels"); // the alert's labels that must be there
        QTest::addColumn<int>("forSeconds"); // the shipped rule's `for:`
        QTest::addColumn<QString>("until"); // the state waited for: firing, or pending for a long `for:`
        // The leak fills orders-db's pool at 10 s (95%): the rule's 15 s `for:` in real time.
        QTest::addRow("pool exhausted") << u"connection-pool-exhaustion"_s << u"1"_s << u"DbConnectionPoolExhausted"_s
                                        << QVariantMap { { u"service"_s, u"orders-db"_s },
                                               { u"severity"_s, u"critical"_s } }
                                        << 15 << u"firing"_s;
        // checkout-svc-3 crashes 25 s after each start and backs off 10, 20, 40 s: the third
        // restart at 155 s of simulated time, 16 s at 10x. No `for:`; the owner chain of
        // kube-state-metrics gives the alert its deployment and service.
        QTest::addRow("crash loop") << u"crashloop-restart-fails"_s << u"10"_s << u"KubePodCrashLooping"_s
                                    << QVariantMap { { u"service"_s, u"checkout-svc"_s },
                                           { u"deployment"_s, u"checkout-svc"_s }, { u"namespace"_s, u"default"_s },
                                           { u"pod"_s, u"checkout-svc-3"_s } }
                                    << 0 << u"firing"_s;
        // api.example.com's renewal broke at 10 s: 6 days left, under the rule's 14 (blackbox's
        // expiry as a Unix time, moved to the wall clock Prometheus's time() reads).
        QTest::addRow("certificate expiring")
            << u"cert-expiry"_s << u"1"_s << u"BlackboxSslCertificateWillExpireSoon"_s
            << QVariantMap { { u"instance"_s, u"api.example.com"_s }, { u"service"_s, u"api-gateway"_s } } << 0
            << u"firing"_s;
        // us-east-1 fails 35% more at 10 s: api-gateway's errors there, from the request histogram's
        // error_type, by region. The shipped `for: 1m` would make firing a minute's more wait; pending
        // shows the recorded ratio over 20%.
        QTest::addRow("region degraded") << u"region-degraded"_s << u"1"_s << u"RegionDegraded"_s
                                         << QVariantMap { { u"region"_s, u"us-east-1"_s },
                                                { u"service"_s, u"api-gateway"_s } }
                                         << 60 << u"pending"_s;
    }
    void shippedAlertInPrometheus()
    {
        QFETCH(QString, scenario);
        QFETCH(QString, pace);
        QFETCH(QString, alert);
        QFETCH(QVariantMap, labels);
        QFETCH(int, forSeconds);
        QFETCH(QString, until);
        ScrapedFleet fleet;
        const QString why = fleet.start(scenario, pace);
        QVERIFY2(why.isEmpty(), qPrintable(why));

        const HttpAnswer scrape = httpAnswer(fleet.metrics);
        QCOMPARE(scrape.status, 200);
        QVERIFY(scrape.body.contains("# TYPE kube_pod_owner gauge\n"));
        QUrl elsewhere = fleet.metrics;
        elsewhere.setPath(u"/"_s);
        QCOMPARE(httpAnswer(elsewhere).status, 404);
        elsewhere.setPath(u"/metrics/x"_s);
        QCOMPARE(httpAnswer(elsewhere).status, 404);

        // The alert as Prometheus has it: pending first (a rule with `for:`), then firing.
        QElapsedTimer clock;
        clock.start();
        QString state;
        qint64 pendingAt = -1;
        QJsonObject found;
        auto reached = [&] { return state == u"firing"_s || state == until; };
        while (!reached() && clock.elapsed() < 120'000) {
            const QJsonArray alerts = QJsonDocument::fromJson(httpAnswer(QUrl(fleet.api + u"alerts"_s)).body)
                                          .object()
                                          .value(u"data"_s)
                                          .toObject()
                                          .value(u"alerts"_s)
                                          .toArray();
            for (const QJsonValue &a : alerts) {
                const QJsonObject o = a.toObject();
                if (o.value(u"labels"_s).toObject().value(u"alertname"_s).toString() != alert)
                    continue;
                state = o.value(u"state"_s).toString();
                found = o;
                if (state == u"pending"_s && pendingAt < 0)
                    pendingAt = clock.elapsed();
            }
            if (!reached())
                QTest::qWait(250);
        }
        QVERIFY2(reached(),
            qPrintable(u"%1 is '%2' after %3 s; Prometheus's log: %4"_s.arg(alert, state)
                           .arg(clock.elapsed() / 1000)
                           .arg(fleet.dir.filePath(u"prometheus.log"_s))));
        qInfo("%s: pending after %s, %s after %.1f s (Prometheus started at 0)", qPrintable(alert),
            pendingAt < 0 ? "-" : qPrintable(u"%1 s"_s.arg(pendingAt / 1000.0, 0, 'f', 1)), qPrintable(state),
            clock.elapsed() / 1000.0);
        // The rule's `for:` held in Prometheus's real time (seen to within a poll and an evaluation).
        if (forSeconds > 0 && until == u"firing"_s) {
            QVERIFY(pendingAt >= 0);
            QVERIFY2(clock.elapsed() - pendingAt >= (forSeconds - 1) * 1000,
                qPrintable(u"firing %1 ms after pending"_s.arg(clock.elapsed() - pendingAt)));
        }
        const QJsonObject got = found.value(u"labels"_s).toObject();
        for (auto it = labels.cbegin(); it != labels.cend(); ++it)
            QCOMPARE(got.value(it.key()).toString(), it.value().toString());

        // SIGTERM ends the serving run with its summary and status 0.
        QCOMPARE(fleet.simulator.stop(), 0);
        QVERIFY(fleet.simulator.process().readAllStandardOutput().contains("Stopped by SIGTERM."));
    }

    // `antibodyctl doctor` with Antibody's real Prometheus connector on that Prometheus: every
    // alert and every series the ten shipped runbooks read is there, from the simulated fleet
    // through the shipped rules. What it still misses is executors (item 4 of issue 22).
    void doctorFindsEveryRunbooksSeries()
    {
        ScrapedFleet fleet;
        const QString why = fleet.start(u"connection-pool-exhaustion"_s, u"1"_s);
        QVERIFY2(why.isEmpty(), qPrintable(why));
        // Rates need two of the world's scrapes (5 s apart) in Prometheus's 1 m window.
        QTRY_VERIFY_WITH_TIMEOUT(fleet.series(u"service:http_server_requests:rate1m"_s) == 5
                && fleet.series(u"service:container_cpu_usage:ratio"_s) == 5
                && fleet.series(u"service:orders_created:per_minute"_s) == 1,
            60'000);
        QFile config(fleet.dir.filePath(u"antibody.yaml"_s));
        QVERIFY(config.open(QIODevice::WriteOnly));
        config.write(u"sources:\n  prometheus: { url: \"%1\" }\nrunbooks: [ \"%2/runbooks\" ]\n"_s
                         .arg(fleet.prometheusUrl, qEnvironmentVariable("ANTIBODY_SOURCE_DIR"))
                         .toUtf8());
        config.close();
        QProcess doctor;
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_DATA_HOME"_s, fleet.dir.filePath(u"data-home"_s));
        doctor.setProcessEnvironment(env);
        doctor.start(QStringLiteral(ANTIBODYCTL), { u"doctor"_s, u"--config"_s, config.fileName() });
        QVERIFY(doctor.waitForFinished(60'000));
        const QString said = QString::fromUtf8(doctor.readAllStandardOutput() + doctor.readAllStandardError());
        QVERIFY2(said.contains(u"ok      sources.prometheus"_s), qPrintable(said));
        QVERIFY2(said.contains(u"10 loaded from"_s), qPrintable(said));
        int metricsFound = 0;
        int alertsFound = 0;
        for (const QString &line : said.split(u'\n')) {
            const QString l = line.trimmed();
            if (l.startsWith(u"missing"_s) || l.startsWith(u"FAILED"_s))
                QVERIFY2(l.contains(u"no configured executor runs it"_s), qPrintable(l));
            if (l.startsWith(u"ok"_s) && l.contains(u"series"_s)) {
                QVERIFY2(!l.endsWith(u": 0 series"_s), qPrintable(l));
                ++metricsFound;
            }
            if (l.startsWith(u"ok"_s) && l.contains(u": an alerting rule in Prometheus"_s))
                ++alertsFound;
        }
        qInfo("doctor: %d series and %d alerts of the shipped runbooks found", metricsFound, alertsFound);
        // Today 17 series and 4 alert names (never-automate's guard labels name no alert).
        QVERIFY2(metricsFound > 0 && alertsFound > 0, qPrintable(said));
    }
};

QTEST_GUILESS_MAIN(TestFleetScrape)
#include "tst_fleetscrape.moc"
