// The console as a process, as packaging scripts and session managers use it:
// --version and --help on a machine with no display, and SIGTERM, SIGINT or SIGHUP
// closing it cleanly (exit 0, the store closed, its audit trail intact).
#include "engine/store/auditverifier.h"
#include "engine/store/readonlystore.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

// Nothing that would let Qt find a display: no X, no Wayland, no platform chosen.
QProcessEnvironment headless()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const QString &name : { u"DISPLAY"_s, u"WAYLAND_DISPLAY"_s, u"QT_QPA_PLATFORM"_s })
        env.remove(name);
    return env;
}

// Audit rows in the console's database so far; 0 while it does not exist yet.
qint64 auditRows(const QString &file)
{
    QString error;
    try {
        auto store = ReadOnlyStore::openFile(file, &error);
        return store ? AuditVerifier::verify(store->database()).rows : 0;
    } catch (...) {
        return 0; // created this very moment: look again
    }
}

} // namespace

class TestConsoleProcess : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void textOptionsNeedNoDisplay_data()
    {
        QTest::addColumn<QString>("option");
        QTest::addColumn<QStringList>("says");
        const QStringList version { u"antibody " ANTIBODY_VERSION "\n"_s };
        const QStringList help { u"Usage: "_s, u"Antibody: the incident-response console for on-call engineers."_s,
            u"--data-dir <DIR>"_s, u"--config <FILE>"_s, u"-v, --version"_s };
        QTest::addRow("--version") << u"--version"_s << version;
        QTest::addRow("-v") << u"-v"_s << version;
        QTest::addRow("--help") << u"--help"_s << help;
        QTest::addRow("-h") << u"-h"_s << help;
    }
    void textOptionsNeedNoDisplay()
    {
        QFETCH(QString, option);
        QFETCH(QStringList, says);
        QProcess p;
        p.setProcessEnvironment(headless());
        p.start(QStringLiteral(ANTIBODY), { option });
        QVERIFY(p.waitForFinished(30'000));
        const QString out = QString::fromUtf8(p.readAllStandardOutput());
        const QString err = QString::fromUtf8(p.readAllStandardError());
        QCOMPARE(p.exitStatus(), QProcess::NormalExit);
        QVERIFY2(p.exitCode() == 0, qPrintable(err));
        for (const QString &s : std::as_const(says))
            QVERIFY2(out.contains(s), qPrintable(out));
        if (option.startsWith(u"-v"_s))
            QCOMPARE(out, says.constFirst()); // the version line and nothing else
    }

    void stopSignalsCloseTheConsoleCleanly_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addRow("SIGTERM") << SIGTERM;
        QTest::addRow("SIGINT") << SIGINT;
        QTest::addRow("SIGHUP") << SIGHUP;
    }
    void stopSignalsCloseTheConsoleCleanly()
    {
        QFETCH(int, signal);
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString data = dir.filePath(u"data"_s);
        QProcessEnvironment env = headless();
        env.insert(u"QT_QPA_PLATFORM"_s, u"offscreen"_s);
        env.insert(u"XDG_CONFIG_HOME"_s, dir.filePath(u"config"_s)); // the window's state, not in the user's
        env.insert(u"XDG_DATA_HOME"_s, dir.filePath(u"share"_s));
        QProcess console;
        console.setProcessEnvironment(env);
        console.start(QStringLiteral(ANTIBODY), { u"--data-dir"_s, data });
        QVERIFY(console.waitForStarted(10'000));

        // The demo is running: its engine has written decisions to the database.
        const QString db = QDir(data).filePath(u"demo/antibody.db"_s); // the demo keeps its own database
        QTRY_VERIFY_WITH_TIMEOUT(auditRows(db) > 0 || console.state() == QProcess::NotRunning, 60'000);
        QVERIFY2(console.state() == QProcess::Running, console.readAllStandardError().constData());

        ::kill(static_cast<pid_t>(console.processId()), signal);
        QVERIFY(console.waitForFinished(30'000));
        QCOMPARE(console.exitStatus(), QProcess::NormalExit); // not killed by the signal
        QVERIFY2(console.exitCode() == 0, console.readAllStandardError().constData());
        // The window closed as its close button closes it (its state saved), and the store
        // closed its database: the last connection's close folds the write-ahead log back in.
        QVERIFY(QFile::exists(dir.filePath(u"config/antibody/antibody.conf"_s)));
        QVERIFY(!QFile::exists(db + u"-wal"_s));

        QProcess verify;
        verify.setProcessEnvironment(env);
        verify.start(QStringLiteral(ANTIBODYCTL), { u"audit"_s, u"verify"_s, u"--data-dir"_s, data + u"/demo"_s });
        QVERIFY(verify.waitForFinished(60'000));
        const QByteArray said = verify.readAllStandardOutput() + verify.readAllStandardError();
        QVERIFY2(verify.exitStatus() == QProcess::NormalExit && verify.exitCode() == 0, said.constData());
    }
};

QTEST_GUILESS_MAIN(TestConsoleProcess)
#include "tst_consoleprocess.moc"
