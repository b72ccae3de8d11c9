// SIGTERM, SIGHUP and SIGINT to the console: the window closes without a question,
// even with unsaved runbook edits (discarded: nobody is there to answer), and the
// event loop ends with 0. tests/e2e/tst_consoleprocess sends them to the real process.
#include "app/antibody/consoleshutdown.h"
#include "models/editor/runbooklink.h"
#include "models/link/consolemodels.h"
#include "models/link/enginelink.h"
#include "ui/editor/editorview.h"
#include "ui/editor/runbooktextedit.h"
#include "ui/mainwindow.h"

#include <QFile>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QTest>
#include <csignal>

using namespace Qt::StringLiterals;
using namespace antibody;

class TestConsoleShutdown : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void initTestCase() { QStandardPaths::setTestModeEnabled(true); } // the window's state, not in the user's settings

    void aStopSignalClosesWithoutAskingAndDiscardsUnsavedEdits_data()
    {
        QTest::addColumn<int>("signal");
        QTest::addRow("SIGTERM") << SIGTERM;
        QTest::addRow("SIGHUP") << SIGHUP;
        QTest::addRow("SIGINT") << SIGINT;
    }
    void aStopSignalClosesWithoutAskingAndDiscardsUnsavedEdits()
    {
        QFETCH(int, signal);
        // What main() builds, without the engine: the window and its editor.
        ConsoleModels models;
        EngineLink link(&models, u"alice"_s);
        RunbookLink runbooks([](const Runbook &, TimePoint) { return DrillReport {}; });
        MainWindow window(&models, &link, &link, &runbooks);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(window.editor());

        QTemporaryDir dir;
        const QString file = dir.filePath(u"pool.yaml"_s);
        const QByteArray saved = "name: pool\nlevel: 1\ntrigger: { alert: PoolHigh }\nsteps:\n  - name: look\n"
                                 "    action: query_metrics\n    params: { metric: db_pool_utilization }\n";
        QFile out(file);
        QVERIFY(out.open(QIODevice::WriteOnly));
        out.write(saved);
        out.close();
        QVERIFY(window.editor()->openFile(file));
        window.editor()->textEdit()->appendPlainText(u"# an edit nobody saved"_s);
        // An engineer closing the window is asked and may cancel; a session ending is not.
        int asked = 0;
        window.editor()->setAsker([&asked](EditorView::Question, const QString &) {
            ++asked;
            return EditorView::Answer::Cancel;
        });

        std::optional<int> exitCode;
        ConsoleShutdown shutdown(&window, [&exitCode](int code) { exitCode = code; });
        QVERIFY2(shutdown.ok(), qPrintable(shutdown.error()));
        ::raise(signal);
        QTRY_VERIFY_WITH_TIMEOUT(exitCode.has_value(), 5'000);
        QCOMPARE(*exitCode, 0);
        QVERIFY(!window.isVisible());
        QCOMPARE(asked, 0);
        QFile in(file);
        QVERIFY(in.open(QIODevice::ReadOnly));
        QCOMPARE(in.readAll(), saved); // discarded, not saved
    }
};

QTEST_MAIN(TestConsoleShutdown)
#include "tst_consoleshutdown.moc"
