// Certificate renewal end to end on the real stack (label realstack): the stack's TLS
// endpoint starts serving a certificate that expires in a day (`scripts/realstack
// certificate expire`), the blackbox exporter's probe crosses the shipped rule, and
// BlackboxSslCertificateWillExpireSoon fires in Prometheus and reaches Alertmanager;
// `antibodyctl run` on the configuration `scripts/realstack config` prints, with the
// shipped runbooks unchanged, detects it, plans one certificate of one, runs the
// renewal command of executors.certificates (realstack.d/renew-certificate: openssl and
// the stack's throwaway CA), and verifies through the blackbox exporter that more than
// 720h are left: resolved, and the alert stops firing. With the CA refusing, the
// command's one-line error fails the step, the page goes out, and the incident is
// escalated. There the shipped runbook runs at the stack's pace: its verify step (which
// runs after a failed renewal too) waits 10 s instead of 5 minutes, and the engine's
// next attempt comes 5 s after the last instead of 3 minutes, so that three attempts, the
// page, the open breaker and the escalation fit in the test's minute.
#include "engine/runbook/runbookloader.h"
#include "realstackrun.h"
#include "testhttpserver.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QSslCertificate>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::test;

namespace {

const QString certificateAlert = u"BlackboxSslCertificateWillExpireSoon"_s;
const QString certificateRunbook = u"certificate-renewal"_s;

struct Served
{
    QString file;
    QDateTime notAfter;
    QByteArray serial;
    double daysLeft() const { return double(QDateTime::currentDateTimeUtc().secsTo(notAfter)) / 86'400.0; }
};

// The certificate the stack's TLS endpoint serves, read from its file.
Served served()
{
    QString log;
    if (!RealStack::run({ u"certificate"_s, u"show"_s }, &log))
        qFatal("scripts/realstack certificate show failed: %s", qPrintable(log));
    Served s;
    s.file = log.section(u' ', 0, 0);
    QFile f(s.file);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("cannot read %s", qPrintable(s.file));
    const QList<QSslCertificate> chain = QSslCertificate::fromData(f.readAll());
    if (chain.isEmpty())
        qFatal("%s holds no certificate", qPrintable(s.file));
    s.notAfter = chain.first().expiryDate();
    s.serial = chain.first().serialNumber();
    return s;
}

QJsonArray prometheusQuery(const QString &expr)
{
    QUrl url = RealStack::prometheus();
    url.setPath(u"/api/v1/query"_s);
    url.setQuery(QUrlQuery { { u"query"_s, expr } });
    return httpGet(url).object().value(u"data"_s).toObject().value(u"result"_s).toArray();
}

// The TLS endpoint's process: the stack keeps its PID next to the certificate's folder.
QByteArray tlsServerPid(const Served &s)
{
    QFile f(QFileInfo(s.file).absolutePath() + u"/../run/tls.pid"_s);
    return f.open(QIODevice::ReadOnly) ? f.readAll().trimmed() : QByteArray();
}

// Seconds left as the blackbox exporter's probe and the shipped recording rule say; NaN without a value.
double remainingSeconds()
{
    const QJsonArray r
        = prometheusQuery(u"instance:probe_ssl_earliest_cert_expiry:remaining_seconds{service=\"shop\"}"_s);
    return r.size() == 1 ? r.first().toObject().value(u"value"_s).toArray().at(1).toString().toDouble() : std::nan("");
}

bool prometheusFiring()
{
    return !prometheusQuery(u"ALERTS{alertname=\"%1\",alertstate=\"firing\",service=\"shop\"}"_s.arg(certificateAlert))
                .isEmpty();
}

bool alertmanagerHolds()
{
    QUrl url = RealStack::alertmanager();
    url.setPath(u"/api/v2/alerts"_s);
    const QJsonDocument doc = httpGet(url);
    if (!doc.isArray())
        return true; // no answer: not known to be gone
    for (const QJsonValue &a : doc.array()) {
        if (a.toObject().value(u"labels"_s).toObject().value(u"alertname"_s).toString() == certificateAlert)
            return true;
    }
    return false;
}

void stackCommand(const QStringList &args)
{
    QString log;
    QVERIFY2(RealStack::run(args, &log), qPrintable(log));
}

std::optional<Line> stepLine(RunProcess &run, const QString &kind, const QString &incident, const QString &step)
{
    for (const Line &l : run.all(kind, incident)) {
        if (l.data.value(u"step"_s).toString() == step)
            return l;
    }
    return std::nullopt;
}

QString incidentOf(RunProcess &run)
{
    for (const Line &l : run.lines()) {
        if (l.kind == u"proposed"_s && l.data.value(u"runbook"_s).toString() == certificateRunbook)
            return l.incident;
    }
    return {};
}

} // namespace

class TestRealStackCertificate : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    // `scripts/realstack config` as printed (the shipped runbooks, or `runbooks`), `extra` appended.
    QString writeConfig(const QString &name, const QByteArray &extra = {}, const QString &runbooks = {})
    {
        const QString path = m_dir.filePath(name);
        QFile f(path);
        const QByteArray text = RealStack::configuration(runbooks, extra);
        if (!text.contains((runbooks.isEmpty() ? sourcePath(u"runbooks"_s) : runbooks).toUtf8())
            || !text.contains("certificates:"))
            qFatal("scripts/realstack config no longer prints the runbooks and executors.certificates");
        if (!f.open(QIODevice::WriteOnly) || f.write(text) != text.size())
            qFatal("cannot write %s", qPrintable(path));
        return path;
    }

    void startRun(RunProcess &run, const QString &config, const QString &data)
    {
        run.start({ u"run"_s, u"--config"_s, config, u"--json"_s, u"--max-seconds"_s, u"150"_s, u"--data-dir"_s,
                      m_dir.filePath(data) },
            m_dir.path());
        QVERIFY2(run.process().waitForStarted(10'000), qPrintable(run.process().errorString()));
        QTRY_VERIFY2_WITH_TIMEOUT(run.errors().contains(u"store:"_s) || run.process().state() == QProcess::NotRunning,
            qPrintable(run.transcript()), 30'000);
        QVERIFY2(run.process().state() == QProcess::Running, qPrintable(run.transcript()));
        QVERIFY2(run.errors().contains(u"certs:     1 certificate of shop"_s), qPrintable(run.errors()));
    }

    void stop(RunProcess &run)
    {
        run.process().terminate();
        QVERIFY(run.process().waitForFinished(30'000));
        QVERIFY2(run.process().exitCode() == 0, qPrintable(run.transcript()));
        QVERIFY2(run.badLines().isEmpty(), qPrintable(run.badLines().join(u'\n')));
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        stackCommand({ u"up"_s });
        stackCommand({ u"certificate"_s, u"issuer"_s, u"up"_s });
        stackCommand({ u"certificate"_s, u"renew"_s });
        QTRY_VERIFY_WITH_TIMEOUT(!alertmanagerHolds(), 60'000);
    }

    void cleanupTestCase()
    {
        // Other realstack suites start from a healthy certificate and a CA that signs.
        stackCommand({ u"certificate"_s, u"issuer"_s, u"up"_s });
        stackCommand({ u"certificate"_s, u"renew"_s });
    }

    void renewalFromFaultToResolved()
    {
        RunProcess run;
        startRun(run, writeConfig(u"renew.yaml"_s), u"renew-data"_s);
        QElapsedTimer clock;
        clock.start();
        stackCommand({ u"certificate"_s, u"expire"_s });
        const Served before = served();
        QVERIFY2(before.daysLeft() < 1.01, qPrintable(before.notAfter.toString()));
        const QByteArray server = tlsServerPid(before);
        QVERIFY(!server.isEmpty());

        // detected -> proposed: level 3, one certificate of one.
        QTRY_VERIFY2_WITH_TIMEOUT(!incidentOf(run).isEmpty(), qPrintable(run.transcript()), 60'000);
        const QString incident = incidentOf(run);
        const qint64 proposedMs = clock.elapsed();
        const auto detected = run.first(u"detected"_s, incident);
        QVERIFY2(detected, qPrintable(run.transcript()));
        QVERIFY2(detected->detail.contains(certificateAlert), qPrintable(detected->detail));
        const Line proposed = *run.first(u"proposed"_s, incident);
        QCOMPARE(proposed.data.value(u"mode"_s).toString(), u"auto"_s);
        QJsonObject radius;
        for (const QJsonValue &r : proposed.data.value(u"blast_radius"_s).toArray()) {
            if (r.toObject().value(u"step"_s).toString() == u"renew"_s)
                radius = r.toObject();
        }
        QVERIFY2(!radius.isEmpty(), qPrintable(run.transcript()));
        QCOMPARE(radius.value(u"dimension"_s).toString(), u"certificates"_s);
        QCOMPARE(radius.value(u"fleet_size"_s).toInt(), 1);
        QCOMPARE(radius.value(u"cap_count"_s).toInt(), 1);
        QCOMPARE(radius.value(u"affected"_s).toInt(), 1);

        // executed -> verified -> resolved.
        QTRY_VERIFY2_WITH_TIMEOUT(run.first(u"resolved"_s, incident) || run.first(u"escalated"_s, incident),
            qPrintable(run.transcript()), 120'000);
        QVERIFY2(run.first(u"resolved"_s, incident), qPrintable(run.transcript()));
        const qint64 resolvedMs = clock.elapsed();
        const auto started = stepLine(run, u"step_started"_s, incident, u"renew"_s);
        QVERIFY2(started, qPrintable(run.transcript()));
        QCOMPARE(started->data.value(u"targets"_s).toArray(), QJsonArray { u"shop-tls"_s });
        const auto renewed = stepLine(run, u"step_finished"_s, incident, u"renew"_s);
        QVERIFY2(
            renewed && renewed->data.value(u"outcome"_s).toString() == u"succeeded"_s, qPrintable(run.transcript()));
        const QJsonObject facts = renewed->data.value(u"facts"_s).toObject();
        QCOMPARE(facts.value(u"renewed"_s).toDouble(), 1.0);
        QVERIFY2(facts.value(u"days_left"_s).toDouble() > 89.9, qPrintable(renewed->detail));
        const auto verified = stepLine(run, u"step_finished"_s, incident, u"verify"_s);
        QVERIFY2(
            verified && verified->data.value(u"outcome"_s).toString() == u"succeeded"_s, qPrintable(run.transcript()));
        QVERIFY2(!run.first(u"paged"_s, incident), qPrintable(run.transcript()));

        // The file holds a new certificate, the probe sees it, the alert fired and stopped.
        const Served after = served();
        QVERIFY(after.serial != before.serial);
        QVERIFY2(after.daysLeft() > 89.9, qPrintable(after.notAfter.toString()));
        QVERIFY2(remainingSeconds() > 720 * 3600.0, qPrintable(QString::number(remainingSeconds())));
        // Installed without a restart: the same server process serves it.
        QCOMPARE(tlsServerPid(after), server);
        QVERIFY(QFileInfo::exists(u"/proc/%1"_s.arg(QString::fromLatin1(server))));
        QVERIFY2(!prometheusQuery(
                     u"max_over_time(ALERTS{alertname=\"%1\",alertstate=\"firing\",service=\"shop\"}[5m])"_s.arg(
                         certificateAlert))
                      .isEmpty(),
            "Prometheus has no record of the alert firing");
        QTRY_VERIFY_WITH_TIMEOUT(!prometheusFiring(), 30'000);
        QTRY_VERIFY_WITH_TIMEOUT(!alertmanagerHolds(), 60'000);
        const qint64 quietMs = clock.elapsed();
        qInfo("from `certificate expire`: proposed after %.1f s, resolved after %.1f s, alert gone from "
              "Alertmanager after %.1f s",
            double(proposedMs) / 1000, double(resolvedMs) / 1000, double(quietMs) / 1000);
        stop(run);
    }

    // The shipped runbook at the stack's pace: its verify step's timeout 10 s instead of 5
    // minutes, a cooldown of 5 s instead of 3 minutes; nothing else differs.
    QString pacedRunbooks()
    {
        const QString shipped = sourcePath(u"runbooks/certificate-renewal.yaml"_s);
        QFile in(shipped);
        if (!in.open(QIODevice::ReadOnly))
            qFatal("cannot read %s", qPrintable(shipped));
        QByteArray text = in.readAll();
        if (text.count("timeout: 5m") != 1)
            qFatal("%s no longer has one `timeout: 5m` (its verify step's)", qPrintable(shipped));
        text.replace("timeout: 5m", "timeout: 10s");
        text.append("cooldown: 5s\n");
        const QString dir = m_dir.filePath(u"paced"_s);
        QDir().mkpath(dir);
        QFile out(dir + u"/certificate-renewal.yaml"_s);
        if (!out.open(QIODevice::WriteOnly) || out.write(text) != text.size())
            qFatal("cannot write the paced runbook");
        out.close();
        const LoadResult a = loadRunbookFile(shipped);
        const LoadResult b = loadRunbookFile(out.fileName());
        if (!a.runbook || !b.runbook || a.runbook->steps.size() != b.runbook->steps.size()
            || b.runbook->cooldown != Duration { 5'000 } || a.runbook->level != b.runbook->level)
            qFatal("the paced runbook does not load like the shipped one");
        return dir;
    }

    void aFailedRenewalPagesAndEscalates()
    {
        TestHttpServer pager; // the on-call's webhook: a test sink that takes every page
        pager.setHandler([](const TestRequest &) { return TestReply(200, "{}"); });
        QVERIFY(pager.listen());
        stackCommand({ u"certificate"_s, u"expire"_s });
        stackCommand({ u"certificate"_s, u"issuer"_s, u"down"_s });
        const Served before = served();
        RunProcess run;
        startRun(run,
            writeConfig(u"refused.yaml"_s,
                u"notifiers:\n  webhook: { name: oncall, url: \"%1\" }\n"_s.arg(pager.url(u"/page"_s).toString())
                    .toUtf8(),
                pacedRunbooks()),
            u"refused-data"_s);
        QElapsedTimer clock;
        clock.start();
        QTRY_VERIFY2_WITH_TIMEOUT(!incidentOf(run).isEmpty(), qPrintable(run.transcript()), 60'000);
        const QString incident = incidentOf(run);
        QTRY_VERIFY2_WITH_TIMEOUT(run.first(u"resolved"_s, incident) || run.first(u"escalated"_s, incident),
            qPrintable(run.transcript()), 150'000);
        QVERIFY2(run.first(u"escalated"_s, incident), qPrintable(run.transcript()));
        const qint64 escalatedMs = clock.elapsed();

        // Each attempt ran the command, which failed with its one line; nothing else of its output.
        const QString refusal
            = u"shop-tls: renew-certificate exited with status 1: renew-certificate: the issuer "
              u"refused the order: the stack's CA is down (scripts/realstack certificate issuer up)"_s;
        QList<Line> renewals;
        for (const Line &l : run.all(u"step_finished"_s, incident)) {
            if (l.data.value(u"step"_s).toString() == u"renew"_s)
                renewals << l;
        }
        QVERIFY2(renewals.size() == 3, qPrintable(run.transcript())); // the breaker's 3 failures
        for (const Line &l : std::as_const(renewals)) {
            QCOMPARE(l.data.value(u"outcome"_s).toString(), u"failed"_s);
            QVERIFY2(l.detail.endsWith(u"renew failed: pass 1: "_s + refusal), qPrintable(l.detail));
        }
        // The escalate step paged the webhook once, with the runbook's context; the incident is a human's.
        const auto paged = stepLine(run, u"step_finished"_s, incident, u"escalate"_s);
        QVERIFY2(paged, qPrintable(run.transcript().right(3000)));
        QVERIFY2(paged->data.value(u"outcome"_s).toString() == u"succeeded"_s, qPrintable(paged->detail));
        QVERIFY2(paged->detail.contains(u"paged via oncall"_s), qPrintable(paged->detail));
        QTRY_VERIFY_WITH_TIMEOUT(pager.requestCount() >= 1, 10'000);
        const QByteArray page = pager.requests().first().body;
        QVERIFY2(page.contains("Certificate renewal failed; the certificate still expires soon"), page.constData());
        QVERIFY2(run.first(u"breaker_opened"_s), qPrintable(run.transcript()));
        qInfo("escalated %.1f s after the run started, after %lld attempts; the step said: %s",
            double(escalatedMs) / 1000, renewals.size(), qPrintable(renewals.first().detail));

        // Nothing was renewed: the same certificate is served, and the alert still fires.
        QCOMPARE(served().serial, before.serial);
        QVERIFY(prometheusFiring());
        stop(run);
    }
};

QTEST_GUILESS_MAIN(TestRealStackCertificate)
#include "tst_realstackcertificate.moc"
