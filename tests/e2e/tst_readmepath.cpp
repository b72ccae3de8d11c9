// The README's first steps on the real stack (label realstack), read from the README and
// run as printed: `scripts/realstack up` and `scripts/realstack config > a.yaml` in a shell,
// in a folder of their own; the console on a.yaml as `antibody --config a.yaml` starts it
// (ConsoleHost and the real window, offscreen); `scripts/realstack exhaust`; and within 5 s
// of it the console shows the incident with the shipped runbook's proposal and its blast
// radius, against its 15% cap.
#include "configuredconsole.h"
#include "models/incidentmodel.h"
#include "realstackrun.h"
#include "tests/support/widgetlookup.h"
#include "ui/incidentview.h"

#include <QElapsedTimer>
#include <QFile>
#include <QLabel>
#include <QRegularExpression>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace antibody::test;

namespace {

// The README marks the block; a command's `# ...` comment is for the reader.
const QString marker = u"<!-- the new-user path: tests/e2e/tst_readmepath.cpp runs these lines as printed -->"_s;

QStringList readmeCommands(QString *error)
{
    QFile f(sourcePath(u"README.md"_s));
    if (!f.open(QIODevice::ReadOnly)) {
        *error = u"cannot read "_s + f.fileName();
        return {};
    }
    const QStringList lines = QString::fromUtf8(f.readAll()).split(u'\n');
    const qsizetype at = lines.indexOf(marker);
    if (at < 0 || lines.value(at + 1) != u"```sh"_s) {
        *error = u"README.md has no ```sh block after the line: "_s + marker;
        return {};
    }
    QStringList commands;
    for (qsizetype i = at + 2; i < lines.size() && lines.at(i) != u"```"_s; ++i) {
        const QString command = lines.at(i).section(QRegularExpression(u"\\s+#"_s), 0, 0).trimmed();
        if (!command.isEmpty())
            commands << command;
    }
    return commands;
}

} // namespace

class TestReadmePath : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<ConfiguredConsole> m_console;

    // A printed command in the README's folder layout: `scripts/` is the checkout's.
    bool shell(const QString &command, QString *log) const
    {
        QProcess p;
        p.setWorkingDirectory(m_dir.path());
        p.setProcessChannelMode(QProcess::MergedChannels);
        p.start(u"bash"_s, { u"-c"_s, u"set -euo pipefail; "_s + command });
        const bool finished = p.waitForFinished(90'000);
        *log = command + u":\n"_s + QString::fromLocal8Bit(p.readAll());
        return finished && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    }

    // The pool's incident, its row clicked as a person would; its runbook's kill_idle
    // blast radius as the proposal card shows it, or empty while there is none.
    QString blastRadiusShown()
    {
        m_console->models.flush();
        auto *table = child<QTableView>(&m_console->window, u"incidentTable"_s);
        for (int row = 0; row < table->model()->rowCount(); ++row) {
            const QModelIndex runbook = table->model()->index(row, IncidentModel::RunbookColumn);
            if (runbook.data().toString() != runbookName)
                continue;
            const QString id = runbook.data(IncidentModel::IncidentIdRole).toString();
            if (m_console->window.incidentView()->incidentId() != id)
                QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(runbook).center());
        }
        const auto *summary = m_console->window.findChild<QLabel *>(u"blastSummary_kill_idle"_s);
        return summary && summary->isVisible() ? summary->text() : QString();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        QVERIFY(QFile::link(sourcePath(u"scripts"_s), m_dir.filePath(u"scripts"_s)));
        waitForQuietStack();
    }

    void cleanupTestCase()
    {
        m_console.reset();
        QString log;
        RealStack::run({ u"release"_s }, &log);
    }

    void theNewUserPathShowsTheProposalWithinFiveSeconds()
    {
        QString error;
        const QStringList commands = readmeCommands(&error);
        QVERIFY2(error.isEmpty(), qPrintable(error));
        QCOMPARE(commands,
            (QStringList { u"scripts/realstack up"_s, u"scripts/realstack config > a.yaml"_s,
                u"antibody --config a.yaml"_s, u"scripts/realstack exhaust"_s }));

        QElapsedTimer sinceExhausted;
        for (const QString &command : commands) {
            if (command.startsWith(u"antibody --config "_s)) {
                // As app/antibody/main.cpp builds the console on the file.
                m_console = std::make_unique<ConfiguredConsole>(u"new-user@console"_s);
                const QString config = QDir(m_dir.path()).filePath(command.section(u' ', 2));
                const QString runbooks = m_console->start(config, m_dir.filePath(u"data"_s), &error);
                QVERIFY2(!runbooks.isEmpty(), qPrintable(error));
                QCOMPARE(runbooks, sourcePath(u"runbooks"_s)); // the shipped library
                continue;
            }
            QString log;
            QVERIFY2(shell(command, &log), qPrintable(log));
            sinceExhausted.start(); // the last one fills the pool
        }

        // Within 5 s: "kill_idle: N of M connections · P% · cap C per cycle (15%) · ...".
        QString shown;
        QTRY_VERIFY2_WITH_TIMEOUT(!(shown = blastRadiusShown()).isEmpty(),
            qPrintable(u"no proposal with its blast radius within 5 s (%1 incidents)"_s.arg(
                m_console->models.incidents()->rowCount())),
            5'000);
        qInfo("shown %.1f s after `scripts/realstack exhaust` returned: %s", sinceExhausted.elapsed() / 1000.0,
            qPrintable(shown));
        const QRegularExpressionMatch m
            = QRegularExpression(u"(\\d+) of (\\d+) connections .* cap (\\d+) per cycle \\(15%\\)"_s).match(shown);
        QVERIFY2(m.hasMatch(), qPrintable(shown));
        const int total = m.captured(2).toInt();
        QVERIFY2(total >= 15, qPrintable(shown)); // the exhausted pool, less the exporter's connections
        QCOMPARE(m.captured(3).toInt(), std::max(1, total * 15 / 100));
        QVERIFY(m.captured(1).toInt() <= m.captured(3).toInt());
    }
};

QTEST_MAIN(TestReadmePath)
#include "tst_readmepath.moc"
