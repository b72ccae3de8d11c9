// executors.certificates on real files and real commands: certificates made by the
// openssl tool, renewed by commands run as argument vectors (openssl itself, /bin/sh
// scripts that fail, hang or flood their output), read again afterwards.
#include "connectors/certificates/certificateexecutor.h"
#include "connectors/certificates/renewalcommand.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <optional>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

constexpr double day = 86'400.0;

// What openssl runs to write a fresh self-signed certificate of `days` into `cert`.
QStringList issue(const QString &cert, const QString &key, int days)
{
    return { u"openssl"_s, u"req"_s, u"-x509"_s, u"-newkey"_s, u"ec"_s, u"-pkeyopt"_s,
        u"ec_paramgen_curve:prime256v1"_s, u"-nodes"_s, u"-days"_s, QString::number(days), u"-subj"_s,
        u"/CN=shop.example"_s, u"-keyout"_s, key, u"-out"_s, cert };
}

bool run(const QStringList &argv)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(argv.first(), argv.mid(1));
    return p.waitForFinished(30'000) && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
}

bool processGone(qint64 pid)
{
    QFile stat(u"/proc/%1/stat"_s.arg(pid));
    if (!stat.open(QIODevice::ReadOnly))
        return true;
    // "pid (comm) S ...": a zombie nobody reaped yet is gone too.
    const QByteArray text = stat.readAll();
    const qsizetype close = text.lastIndexOf(')');
    return close > 0 && text.mid(close + 2, 1) == "Z";
}

} // namespace

class TestCertificateExecutor : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString path(const QString &name) const { return m_dir.filePath(name); }

    CertificateConfig certificate(const QString &name, const QStringList &renew, Duration timeout = Duration { 30'000 })
    {
        CertificateConfig c;
        c.name = name;
        c.service = u"shop"_s;
        c.file = path(name + u".pem"_s);
        c.renew = renew;
        c.timeout = timeout;
        c.configKey = u"executors.certificates.services.shop[0]"_s;
        return c;
    }

    static CertificatesConfig config(const QList<CertificateConfig> &certificates, const QStringList &passEnv = {})
    {
        CertificatesConfig c;
        c.services.insert(u"shop"_s, certificates);
        c.passEnv = passEnv;
        return c;
    }

    static Fleet fleetOf(CertificateExecutor &e, const QString &service)
    {
        std::optional<Fleet> out;
        TargetQuery q { u"renew_certificate"_s, u"certificates"_s, service,
            { { u"before_expiry"_s, 14 * 86'400'000LL } } };
        e.fleet(q, [&](const Fleet &f) { out = f; });
        if (!QTest::qWaitFor([&] { return out.has_value(); }, 30'000))
            qFatal("no fleet within 30 s");
        return *out;
    }

    static ActionResult renew(
        CertificateExecutor &e, const QString &service, const QStringList &targets, const QVariantMap &extra = {})
    {
        std::optional<ActionResult> out;
        ActionRequest r;
        r.executionId = u"x1"_s;
        r.action = u"renew_certificate"_s;
        r.step = u"renew"_s;
        r.service = service;
        r.targets = targets;
        r.params = { { u"before_expiry"_s, 14 * 86'400'000LL } };
        r.params.insert(extra);
        bool inside = true;
        e.execute(r, [&](const ActionResult &a) {
            if (inside)
                qFatal("done ran inside execute()");
            out = a;
        });
        inside = false;
        if (!QTest::qWaitFor([&] { return out.has_value(); }, 60'000))
            qFatal("no result within 60 s");
        return *out;
    }

    // A certificate of `days` in NAME.pem, and the executor's view of it.
    void makeCertificate(const QString &name, int days)
    {
        QVERIFY(run(issue(path(name + u".pem"_s), path(name + u".key"_s), days)));
    }

    // A script the renewal runs as `/bin/sh FILE`: still an argument vector.
    QStringList script(const QString &name, const QByteArray &body)
    {
        QFile f(path(name + u".sh"_s));
        if (!f.open(QIODevice::WriteOnly) || f.write(body) != body.size())
            qFatal("cannot write the script");
        return { u"/bin/sh"_s, f.fileName() };
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void theFleetIsTheServicesFilesWithTheirExpiry()
    {
        makeCertificate(u"soon"_s, 1);
        makeCertificate(u"later"_s, 90);
        CertificateExecutor e(
            config({ certificate(u"soon"_s, { u"true"_s }), certificate(u"later"_s, { u"true"_s }) }));
        QCOMPARE(e.family(), u"certificates"_s);
        QCOMPARE(e.actions(), QStringList { u"renew_certificate"_s });
        QCOMPARE(e.describe(), u"2 certificates of shop"_s);
        const Fleet f = fleetOf(e, u"shop"_s);
        QVERIFY2(f.ok, qPrintable(f.error));
        QCOMPARE(f.dimension, u"certificates"_s);
        QCOMPARE(f.members.size(), 2);
        const Target &soon = f.members.at(0);
        QCOMPARE(soon.name, u"soon"_s);
        QCOMPARE(soon.state, u"expiring"_s);
        QVERIFY(soon.healthy);
        const double left = soon.metrics.value(u"expires_in_seconds"_s);
        QVERIFY2(left > 0.9 * day && left <= day, qPrintable(QString::number(left)));
        QCOMPARE(soon.labels.value(u"subject"_s), u"shop.example"_s);
        QCOMPARE(soon.labels.value(u"service"_s), u"shop"_s);
        QCOMPARE(f.members.at(1).state, u"valid"_s);
        QVERIFY(f.members.at(1).metrics.value(u"expires_in_seconds"_s) > 89 * day);
    }

    // The service is an alert label: one the configuration does not list is refused, saying what to add.
    void anUnmappedServiceIsRefused()
    {
        makeCertificate(u"mapped"_s, 1);
        CertificateExecutor e(
            config({ certificate(u"mapped"_s, issue(path(u"mapped.pem"_s), path(u"mapped.key"_s), 90)) }));
        const Fleet f = fleetOf(e, u"payments"_s);
        QVERIFY(!f.ok);
        QVERIFY2(f.error.contains(u"service 'payments' has no certificates in executors.certificates.services; add "
                                  u"them there (services: { payments: [ { name: payments-tls"_s),
            qPrintable(f.error));
        QVERIFY(fleetOf(e, {}).error.contains(u"the incident names no service"_s));
        const ActionResult r = renew(e, u"payments"_s, { u"mapped"_s });
        QVERIFY(!r.ok);
        QVERIFY(r.blocked);
        QVERIFY(r.error.contains(u"service 'payments' has no certificates"_s));
        // Nothing ran: the mapped file is still the 1-day one.
        QVERIFY(CertificateFile::read(path(u"mapped.pem"_s)).secondsLeft(QDateTime::currentDateTimeUtc()) < day);
        const ActionResult unknown = renew(e, u"shop"_s, { u"other"_s });
        QVERIFY(!unknown.ok);
        QVERIFY2(unknown.error.contains(u"other: service shop has no certificate of that name"_s),
            qPrintable(unknown.error));
        const ActionResult issuer = renew(e, u"shop"_s, { u"mapped"_s }, { { u"issuer"_s, u"letsencrypt"_s } });
        QVERIFY(issuer.blocked);
        QVERIFY2(issuer.error.contains(u"cannot choose an issuer"_s), qPrintable(issuer.error));
    }

    void unreadableFilesFailTheFleetByName_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::addRow("garbage") << QByteArray("not a certificate at all\n") << u"holds no PEM certificate"_s;
        QTest::addRow("a broken PEM block")
            << QByteArray("-----BEGIN CERTIFICATE-----\nAAAA!!!!\n-----END CERTIFICATE-----\n")
            << u"holds no PEM certificate"_s;
        QTest::addRow("empty") << QByteArray() << u"holds no PEM certificate"_s;
        QTest::addRow("binary") << QByteArray(4096, '\0') << u"holds no PEM certificate"_s;
        QTest::addRow("huge") << QByteArray(2 * 1024 * 1024, 'A') << u"is larger than 1 MiB"_s;
        QTest::addRow("missing") << QByteArray("(deleted)") << u"does not exist"_s;
    }

    void unreadableFilesFailTheFleetByName()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const QString file = path(u"bad.pem"_s);
        QFile::remove(file);
        if (content != "(deleted)") {
            QFile f(file);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write(content);
        }
        CertificateExecutor e(config({ certificate(u"bad"_s, { u"true"_s }) }));
        const Fleet f = fleetOf(e, u"shop"_s);
        QVERIFY(!f.ok);
        QVERIFY(f.members.isEmpty());
        QVERIFY2(f.error.startsWith(u"executors.certificates.services.shop[0] (bad): "_s), qPrintable(f.error));
        QVERIFY2(f.error.contains(expected), qPrintable(f.error));
        const ActionResult r = renew(e, u"shop"_s, { u"bad"_s });
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(expected), qPrintable(r.error));
    }

    // A FIFO where the file should be never blocks the reader.
    void aFifoIsNotRead()
    {
        const QString fifo = path(u"fifo.pem"_s);
        QVERIFY(run({ u"mkfifo"_s, fifo }));
        CertificateExecutor e(config({ certificate(u"fifo"_s, { u"true"_s }) }));
        const Fleet f = fleetOf(e, u"shop"_s);
        QVERIFY2(f.error.contains(u"is not a regular file"_s), qPrintable(f.error));
    }

    void aDueCertificateIsRenewedAndReadAgain()
    {
        makeCertificate(u"renewed"_s, 1);
        CertificateExecutor e(
            config({ certificate(u"renewed"_s, issue(path(u"renewed.pem"_s), path(u"renewed.key"_s), 90)) }));
        const ActionResult r = renew(e, u"shop"_s, { u"renewed"_s });
        QVERIFY2(r.ok, qPrintable(r.error));
        QVERIFY(!r.blocked);
        QCOMPARE(r.affected, QStringList { u"renewed"_s });
        QCOMPARE(r.facts.value(u"renewed"_s).toDouble(), 1.0);
        QVERIFY2(r.facts.value(u"days_left"_s).toDouble() > 89.9, qPrintable(r.detail));
        QVERIFY2(r.detail.startsWith(u"renewed renewed (was 1.0 days, now 90.0 days, until "_s), qPrintable(r.detail));
        QVERIFY(CertificateFile::read(path(u"renewed.pem"_s)).secondsLeft(QDateTime::currentDateTimeUtc()) > 89 * day);
    }

    void aCertificateNotDueIsLeftAlone()
    {
        makeCertificate(u"fresh"_s, 90);
        const QByteArray before = [&] {
            QFile f(path(u"fresh.pem"_s));
            return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
        }();
        // The command would fail if it ran.
        CertificateExecutor e(config({ certificate(u"fresh"_s, { u"false"_s }) }));
        const ActionResult r = renew(e, u"shop"_s, { u"fresh"_s });
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(r.facts.value(u"renewed"_s).toDouble(), 0.0);
        QVERIFY(r.affected.isEmpty());
        QVERIFY2(r.detail.startsWith(u"not due: fresh (valid 90 more days)"_s), qPrintable(r.detail));
        QFile f(path(u"fresh.pem"_s));
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), before);
        // Within a window of 100 days it is due, and the command runs (and fails).
        const ActionResult due = renew(e, u"shop"_s, { u"fresh"_s }, { { u"before_expiry"_s, u"100d"_s } });
        QVERIFY(!due.ok);
        QVERIFY2(due.error.contains(u"fresh: false exited with status 1"_s), qPrintable(due.error));
    }

    // A failing command's last line is the error, its secrets redacted, nothing else of its output.
    void aFailingCommandSaysItsLastLine()
    {
        makeCertificate(u"failing"_s, 1);
        qputenv("ANTIBODY_TEST_SECRET", "hunter2-not-passed");
        CertificateExecutor e(config({ certificate(u"failing"_s,
            script(u"failing"_s,
                "echo 'a first line nobody needs'\n"
                "echo \"secret:[$ANTIBODY_TEST_SECRET] name:$ANTIBODY_CERTIFICATE_NAME service:$ANTIBODY_SERVICE\"\n"
                "echo 'the issuer refused: rate limited, password=hunter2' >&2\n"
                "exit 3\n")) }));
        const ActionResult r = renew(e, u"shop"_s, { u"failing"_s });
        QVERIFY(!r.ok);
        QVERIFY(!r.blocked);
        QVERIFY2(r.error.startsWith(u"failing: sh exited with status 3: the issuer refused: rate limited, password="_s),
            qPrintable(r.error));
        QVERIFY2(!r.error.contains(u"hunter2"_s), qPrintable(r.error));
        QVERIFY(!r.error.contains(u"a first line"_s));
        QCOMPARE(r.facts.value(u"renewed"_s).toDouble(), 0.0);
    }

    // Only PATH, HOME, LANG, pass_env and which certificate: a variable of Antibody's own is not seen.
    void theCommandGetsAMinimalEnvironment()
    {
        makeCertificate(u"env"_s, 1);
        qputenv("ANTIBODY_TEST_SECRET", "hunter2-not-passed");
        qputenv("ANTIBODY_TEST_PASSED", "passed-on");
        const QStringList argv = script(u"env"_s,
            "echo \"[$ANTIBODY_TEST_SECRET][$ANTIBODY_TEST_PASSED][$ANTIBODY_CERTIFICATE_NAME][$ANTIBODY_SERVICE]"
            "[$(basename \"$ANTIBODY_CERTIFICATE\")][$LANG][$(pwd)][$(env | wc -l)]\"; exit 1\n");
        CertificateExecutor e(config({ certificate(u"env"_s, argv) }, { u"ANTIBODY_TEST_PASSED"_s }));
        const ActionResult r = renew(e, u"shop"_s, { u"env"_s });
        // PATH HOME LANG, the passed one, the three ANTIBODY_ ones, and what sh itself sets (PWD, SHLVL...).
        QVERIFY2(r.error.contains(u": [][passed-on][env][shop][env.pem][C.UTF-8][/]["_s), qPrintable(r.error));
        const int count = r.error.section(u'[', -1).section(u']', 0, 0).toInt();
        QVERIFY2(count >= 7 && count <= 10, qPrintable(r.error));
    }

    void aCommandThatWritesNothingFails()
    {
        makeCertificate(u"idle"_s, 1);
        CertificateExecutor e(config({ certificate(u"idle"_s, { u"true"_s }) }));
        const ActionResult r = renew(e, u"shop"_s, { u"idle"_s });
        QVERIFY(!r.ok);
        QVERIFY2(
            r.error.contains(u"idle: true exited with status 0, but %1 still expires in "_s.arg(path(u"idle.pem"_s))),
            qPrintable(r.error));
        QVERIFY(r.error.contains(u"does the command write this file?"_s));
    }

    // The timeout kills the command and what it started; the step ends soon after.
    void aHangingCommandIsKilledWithItsChildren()
    {
        makeCertificate(u"hang"_s, 1);
        const QString pidFile = path(u"hang.pid"_s);
        const QStringList argv = script(
            u"hang"_s, u"sleep 300 &\necho $! > '%1'\necho 'waiting for the issuer'\nwait\n"_s.arg(pidFile).toUtf8());
        CertificateExecutor e(config({ certificate(u"hang"_s, argv, Duration { 1'000 }) }));
        QElapsedTimer timer;
        timer.start();
        const ActionResult r = renew(e, u"shop"_s, { u"hang"_s });
        QVERIFY2(timer.elapsed() < 10'000, qPrintable(QString::number(timer.elapsed())));
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(u"hang: sh did not finish within 1s and was stopped (its process group killed): "
                                  u"waiting for the issuer"_s),
            qPrintable(r.error));
        QFile f(pidFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const qint64 child = f.readAll().trimmed().toLongLong();
        QVERIFY(child > 0);
        QTRY_VERIFY_WITH_TIMEOUT(processGone(child), 5'000);
    }

    // Antibody stopping mid-renewal does not wait out the command: it and its children are
    // killed, and no result reaches the executor that is gone.
    void shuttingDownStopsTheCommand()
    {
        makeCertificate(u"stopping"_s, 1);
        const QString pidFile = path(u"stopping.pid"_s);
        const QStringList argv = script(
            u"stopping"_s, u"sleep 300 &\necho $! > '%1.tmp'\nmv '%1.tmp' '%1'\nwait\n"_s.arg(pidFile).toUtf8());
        auto e
            = std::make_unique<CertificateExecutor>(config({ certificate(u"stopping"_s, argv, Duration { 60'000 }) }));
        ActionRequest r;
        r.action = u"renew_certificate"_s;
        r.service = u"shop"_s;
        r.targets = { u"stopping"_s };
        r.params = { { u"before_expiry"_s, 14 * 86'400'000LL } };
        bool answered = false;
        e->execute(r, [&](const ActionResult &) { answered = true; });
        QTRY_VERIFY_WITH_TIMEOUT(QFile::exists(pidFile), 10'000);
        QFile f(pidFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const qint64 child = f.readAll().trimmed().toLongLong();
        QVERIFY(child > 0);
        QElapsedTimer timer;
        timer.start();
        e.reset();
        QVERIFY2(timer.elapsed() < 5'000, qPrintable(QString::number(timer.elapsed())));
        QTRY_VERIFY_WITH_TIMEOUT(processGone(child), 5'000);
        QCoreApplication::processEvents();
        QVERIFY(!answered);
    }

    // Megabytes of output cost neither memory nor the error's length.
    void aFloodOfOutputKeepsOneShortLine()
    {
        makeCertificate(u"flood"_s, 1);
        const QStringList argv = script(u"flood"_s,
            "yes 'progress: still renewing' | head -c 30000000\n"
            "yes x | tr -d '\\n' | head -c 5000000\n"
            "exit 2\n");
        CertificateExecutor e(config({ certificate(u"flood"_s, argv) }));
        QElapsedTimer timer;
        timer.start();
        const ActionResult r = renew(e, u"shop"_s, { u"flood"_s });
        QVERIFY(!r.ok);
        QVERIFY2(r.error.startsWith(u"flood: sh exited with status 2: xxxxxxxx"_s), qPrintable(r.error.left(300)));
        QVERIFY2(r.error.size() < 300, qPrintable(QString::number(r.error.size())));
        qInfo("35 MB of output read in %lld ms", timer.elapsed());
    }

    void aProgramThatIsNotThereIsNamed_data()
    {
        QTest::addColumn<QString>("program");
        QTest::addColumn<QString>("expected");
        QTest::addRow("not on PATH") << u"no-such-renewer"_s << u"'no-such-renewer' is not on PATH ("_s;
        QTest::addRow("no such path") << u"/nonexistent/renew"_s << u"/nonexistent/renew does not exist"_s;
        QTest::addRow("not executable") << u"(a file)"_s << u"is not an executable file"_s;
        QTest::addRow("a folder") << u"/tmp"_s << u"/tmp is not an executable file"_s;
    }

    void aProgramThatIsNotThereIsNamed()
    {
        QFETCH(QString, program);
        QFETCH(QString, expected);
        if (program == u"(a file)"_s) {
            program = path(u"plain-file"_s);
            QFile f(program);
            QVERIFY(f.open(QIODevice::WriteOnly));
            f.write("#!/bin/sh\n");
        }
        makeCertificate(u"absent"_s, 1);
        CertificateExecutor e(config({ certificate(u"absent"_s, { program, u"renew"_s }) }));
        const ActionResult r = renew(e, u"shop"_s, { u"absent"_s });
        QVERIFY(!r.ok);
        QVERIFY2(r.error.contains(u"absent: executors.certificates.services.shop[0].renew: "_s), qPrintable(r.error));
        QVERIFY2(r.error.contains(expected), qPrintable(r.error));
    }

    void theLastLineIsCleaned_data()
    {
        QTest::addColumn<QByteArray>("output");
        QTest::addColumn<QString>("line");
        QTest::addRow("last non-empty") << QByteArray("one\ntwo\n\n  \n") << u"two"_s;
        QTest::addRow("control characters") << QByteArray("bad \x1b[31mred\x1b[0m\r\n") << u"bad [31mred[0m"_s;
        QTest::addRow("bearer token") << QByteArray("Authorization: Bearer abc.def.ghi\n")
                                      << u"Authorization: [redacted]"_s;
        QTest::addRow("nothing") << QByteArray("\n\n") << QString();
        QTest::addRow("long") << QByteArray(1000, 'y') << QString(199, u'y') + u"…"_s;
    }

    void theLastLineIsCleaned()
    {
        QFETCH(QByteArray, output);
        QFETCH(QString, line);
        QCOMPARE(RenewalCommand::lastLine(output), line);
    }
};

QTEST_GUILESS_MAIN(TestCertificateExecutor)
#include "tst_certificateexecutor.moc"
