// antibodyctl run without a real stack: usage and configuration errors, their exit
// codes, and a clean stop on --max-seconds and on SIGINT with every feed down.
#include "tests/support/clirun.h"

#include <QDir>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace Qt::StringLiterals;
using antibody::cli::antibodyctl;

namespace {

// Nothing listens on port 9 of the loopback: every poll fails at once.
const QByteArray unreachable = "sources:\n  prometheus: { url: \"http://127.0.0.1:9\", health_interval: 1s }\n"
                               "  alertmanager: { url: \"http://127.0.0.1:9\", poll_interval: 1s }\n";

} // namespace

class TestRun : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    QString write(const QString &name, const QByteArray &text)
    {
        QFile f(m_dir.filePath(name));
        if (!f.open(QIODevice::WriteOnly))
            qFatal("cannot write %s", qPrintable(f.fileName()));
        f.write(text);
        return f.fileName();
    }

private Q_SLOTS:
    void initTestCase() { QVERIFY(m_dir.isValid()); }

    void usageErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("says");
        QTest::addRow("no config") << QStringList {} << u"--config FILE is required"_s;
        QTest::addRow("bad approve") << QStringList { u"--config"_s, u"x"_s, u"--approve"_s, u"deny"_s }
                                     << u"--approve takes auto or none"_s;
        QTest::addRow("bad seconds") << QStringList { u"--config=x"_s, u"--max-seconds=-1"_s }
                                     << u"--max-seconds takes"_s;
        QTest::addRow("no value") << QStringList { u"--config"_s } << u"--config needs a value"_s;
        QTest::addRow("unknown") << QStringList { u"--config"_s, u"x"_s, u"--level"_s, u"2"_s }
                                 << u"unknown option '--level'"_s;
    }
    void usageErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, says);
        const auto r = antibodyctl(QStringList { u"run"_s } + args);
        QCOMPARE(r.exitCode, 2);
        QVERIFY2(r.err.contains(says), qPrintable(r.err));
    }

    void helpSaysWhatItDoes()
    {
        const auto r = antibodyctl({ u"run"_s, u"--help"_s });
        QCOMPARE(r.exitCode, 0);
        QVERIFY(r.out.contains(u"--approve MODE"_s));
        QVERIFY(antibodyctl({ u"help"_s }).out.contains(u"  run "_s));
    }

    void aBadConfigurationExitsOneNamingTheKey()
    {
        const QString config
            = write(u"bad.yaml"_s, "sources:\n  alertmanager: { url: \"http://127.0.0.1:9\", pol_interval: 1s }\n");
        const auto r = antibodyctl({ u"run"_s, u"--config"_s, config, u"--data-dir"_s, m_dir.filePath(u"data"_s) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(config + u":2:"_s) && r.err.contains(u"sources.alertmanager.pol_interval"_s),
            qPrintable(r.err));
    }

    void stopsAfterMaxSecondsWithFeedsDown()
    {
        const QString config = write(u"down.yaml"_s, unreachable);
        const auto r = antibodyctl({ u"run"_s, u"--config"_s, config, u"--json"_s, u"--max-seconds"_s, u"3"_s,
            u"--data-dir"_s, m_dir.filePath(u"data"_s) });
        QVERIFY2(r.exitCode == 0, qPrintable(r.err));
        QVERIFY2(r.err.contains(u"alerts:    alertmanager http://127.0.0.1:9"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"runbooks: none configured"_s), qPrintable(r.err));
        QVERIFY2(r.err.contains(u"Stopped by --max-seconds after 3s: 0 incidents"_s), qPrintable(r.err));
        // stdout holds JSON lines only; the dead feeds show as feed changes.
        bool feedChanged = false;
        for (const QString &line : r.out.split(u'\n', Qt::SkipEmptyParts)) {
            const QJsonObject o = QJsonDocument::fromJson(line.toUtf8()).object();
            QVERIFY2(
                o.contains(u"t"_s) && o.contains(u"kind"_s) && o.contains(u"incident"_s) && o.contains(u"detail"_s),
                qPrintable(line));
            feedChanged |= o.value(u"kind"_s).toString() == u"feed_changed"_s;
        }
        QVERIFY2(feedChanged, qPrintable(r.out));
    }

    void sigintStopsItCleanly()
    {
        const QString config = write(u"down.yaml"_s, unreachable);
        QProcess p;
        p.setProcessEnvironment(antibody::cli::isolatedEnvironment());
        p.start(QStringLiteral(ANTIBODYCTL),
            { u"run"_s, u"--config"_s, config, u"--data-dir"_s, m_dir.filePath(u"data"_s) });
        QVERIFY(p.waitForStarted());
        // The header is printed once the engine is built, just before it starts.
        QByteArray out;
        QTRY_VERIFY_WITH_TIMEOUT((out += p.readAllStandardOutput()).contains("store:"), 30'000);
        ::kill(static_cast<pid_t>(p.processId()), SIGINT);
        QVERIFY(p.waitForFinished(30'000));
        out += p.readAllStandardOutput();
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 0, p.readAllStandardError().constData());
        QVERIFY2(out.contains("Stopped by SIGINT"), out.constData());
    }
};

QTEST_GUILESS_MAIN(TestRun)
#include "tst_run.moc"
