#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/runbookloader.h"
#include "models/editor/diagnosticmodel.h"
#include "models/editor/livevalidation.h"
#include "models/editor/runbookdocument.h"
#include "models/editor/runbookfoldermodel.h"
#include "models/editor/runbooklink.h"
#include "models/editor/runbooktemplates.h"
#include "tests/engine/doubles/enginerig.h"
#include "tests/engine/doubles/poolworld.h"
#include "tests/support/widgetlookup.h"
#include "ui/blastradiusview.h"
#include "ui/editor/drillpanel.h"
#include "ui/editor/dryrunpanel.h"
#include "ui/editor/editorview.h"
#include "ui/editor/runbooktextedit.h"
#include "ui/planstepsview.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QCryptographicHash>
#include <QFile>
#include <QLabel>
#include <QListView>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <QTextBlock>
#include <QTextBrowser>

using namespace Qt::StringLiterals;
using antibody::test::child;
using namespace std::chrono_literals;
using namespace antibody;
using test::EngineRig;
using test::PoolWorld;

namespace {

// Line numbers matter: the tests put errors on known lines.
const QByteArray poolRunbook = "name: pool\n" // 1
                               "level: 3\n" // 2
                               "trigger:\n" // 3
                               "  alert: db_pool_utilization > 90%\n" // 4
                               "  confidence: high\n" // 5
                               "steps:\n" // 6
                               "  - name: kill_idle\n" // 7
                               "    action: terminate_connections\n" // 8
                               "    params: { state: idle, older_than: 300s }\n" // 9
                               "    blast_radius: { max_connections: \"15%\" }\n" // 10
                               "  - name: verify\n" // 11
                               "    action: wait_for_metric\n" // 12
                               "    params: { metric: db_pool_utilization, below: 70%, timeout: 120s }\n" // 13
                               "  - name: escalate\n" // 14
                               "    action: page_oncall\n" // 15
                               "    condition: verify.failed\n" // 16
                               "drill: { scenario: connection-pool-exhaustion, max_mttr: 45s }\n"; // 17

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly | QIODevice::Truncate) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QByteArray sha256(const QString &text)
{
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
}

// The editor on an engine (test doubles, virtual time) through the real link.
struct Fixture
{
    QTemporaryDir dir;
    QString poolFile;
    QString otherFile;
    EngineRig rig;
    PoolWorld pool { rig.metrics, rig.database };
    QList<Runbook> drilled; // what the drill runner was given
    RunbookLink link { [this](const Runbook &r, TimePoint at) {
        drilled << r;
        DrillReport report;
        report.result = DrillResult { r.name, u"connection-pool-exhaustion"_s, true, u"resolved"_s, 38s, at,
            u"resolved in 38s (max 45s)"_s };
        report.scenarioDescription = u"orders-db's pool fills with leaked sessions"_s;
        report.expectation = u"resolved within 45s"_s;
        report.timeline << EngineEvent { EngineEvent::Kind::Detected, at, u"INC-1"_s, u"pool at 95%"_s, {} }
                        << EngineEvent { EngineEvent::Kind::Resolved, at + 38s, u"INC-1"_s, u"resolved in 38s"_s, {} };
        return report;
    } };
    EditorView view { &link };
    QList<EditorView::Question> asked;
    EditorView::Answer answer = EditorView::Answer::Cancel;
    QStringList messages;

    Fixture()
    {
        poolFile = dir.filePath(u"pool.yaml"_s);
        otherFile = dir.filePath(u"other.yaml"_s);
        writeFile(poolFile, poolRunbook);
        writeFile(otherFile, QByteArray(poolRunbook).replace("name: pool", "name: other"));
        const LibraryResult library = loadRunbookLibrary({ dir.path() });
        if (library.hasErrors())
            qFatal("the fixture's runbooks do not load");
        link.attach(rig.engine.get(), &rig.clock, &rig.metrics, &rig.store, u"the test fleet"_s);
        rig.start(library.runbooks);
        // What the console's models do: the engine's runbooks reach the editor.
        QObject::connect(rig.engine.get(), &Engine::event, &view, [this](const EngineEvent &e) {
            if (e.kind == EngineEvent::Kind::RunbookLoaded)
                view.setLiveRunbooks(rig.engine->runbooks());
        });
        view.setLiveRunbooks(rig.engine->runbooks());
        view.setAsker([this](EditorView::Question q, const QString &) {
            asked << q;
            return answer;
        });
        QObject::connect(&view, &EditorView::statusMessage, &view, [this](const QString &m) { messages << m; });
        view.validation()->setDelay(30);
        view.setLibraryFolder(dir.path());
        view.resize(1400, 900);
        view.show();
        if (!view.openFile(poolFile))
            qFatal("cannot open the fixture");
    }

    RunbookTextEdit *text() { return view.textEdit(); }

    // Lets queued calls and virtual time move on together until `done` holds.
    bool pump(const std::function<bool()> &done)
    {
        for (int i = 0; i < 600; ++i) {
            if (done())
                return true;
            QCoreApplication::processEvents();
            rig.clock.advanceBy(100ms);
        }
        return done();
    }

    // Selects `what` on a 1-based line and types `replacement` over it, key by key.
    void typeOver(int line, const QString &what, const QString &replacement)
    {
        QTextBlock block = text()->document()->findBlockByNumber(line - 1);
        const qsizetype at = block.text().indexOf(what);
        QVERIFY2(at >= 0, qPrintable(what));
        QTextCursor c(block);
        c.setPosition(block.position() + static_cast<int>(at));
        c.setPosition(block.position() + static_cast<int>(at + what.size()), QTextCursor::KeepAnchor);
        text()->setTextCursor(c);
        text()->setFocus();
        QTest::keyClick(text(), Qt::Key_Delete);
        QTest::keyClicks(text(), replacement);
        text()->completer()->popup()->hide();
    }

    QByteArray liveHash() const
    {
        for (const Runbook &r : rig.engine->runbooks()) {
            if (r.name == u"pool"_s || r.file == poolFile)
                return r.sourceHash;
        }
        return {};
    }
};

} // namespace

// The runbook editor on the offscreen platform: markers where the errors are,
// completion from the catalog, dry run and drill, atomic saves and hot reload
// that never lets an invalid runbook replace the live one, changes made by others.
class TestEditor : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void typingAnErrorMarksItsLineAndColumn_data()
    {
        QTest::addColumn<int>("line");
        QTest::addColumn<QString>("what");
        QTest::addColumn<QString>("typed");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("code");
        QTest::addRow("a misspelt action")
            << 8 << u"terminate_connections"_s << u"terminate_conections"_s << 13 << u"unknown-action"_s;
        QTest::addRow("a level out of range") << 2 << u"3"_s << u"7"_s << 8 << u"out-of-range"_s;
        QTest::addRow("an unknown key") << 12 << u"action"_s << u"acton"_s << 5 << u"unknown-key"_s;
        QTest::addRow("a bad duration") << 9 << u"300s"_s << u"300 seconds"_s << 40 << u"invalid-param"_s;
    }
    void typingAnErrorMarksItsLineAndColumn()
    {
        QFETCH(int, line);
        QFETCH(QString, what);
        QFETCH(QString, typed);
        QFETCH(int, column);
        QFETCH(QString, code);
        Fixture f;
        QVERIFY(f.text()->markers().isEmpty());
        f.typeOver(line, what, typed);
        QTRY_VERIFY(!f.text()->markers().isEmpty());
        const auto markers = f.text()->markers();
        const auto it = std::find_if(markers.begin(), markers.end(),
            [&](const RunbookTextEdit::Marker &m) { return m.diagnostic.code == code; });
        QVERIFY2(it != markers.end(), qPrintable(markers.front().diagnostic.toString()));
        QCOMPARE(it->line(), line);
        QCOMPARE(it->column(), column);
        QVERIFY(it->cursor.hasSelection()); // underlined
        QVERIFY(it->diagnostic.isError());
        // Listed beside the text; clicking it puts the cursor there.
        auto *list = child<QListView>(f.view, u"diagnosticList"_s);
        QVERIFY(list->model()->rowCount() >= 1);
        f.text()->moveCursor(QTextCursor::Start);
        QModelIndex row;
        for (int r = 0; r < list->model()->rowCount() && !row.isValid(); ++r) {
            if (list->model()->index(r, 0).data(DiagnosticModel::CodeRole).toString() == code)
                row = list->model()->index(r, 0);
        }
        QVERIFY(row.isValid());
        QCOMPARE(row.data(DiagnosticModel::LineRole).toInt(), line);
        QTest::mouseClick(list->viewport(), Qt::LeftButton, {}, list->visualRect(row).center());
        QCOMPARE(f.text()->cursorLocation().line, line);
        QCOMPARE(f.text()->cursorLocation().column, column);
        QVERIFY(child<QLabel>(f.view, u"validationSummary"_s)->text().contains(u"error"_s));
        // Fixing it clears the marker.
        f.typeOver(line, typed, what);
        QTRY_VERIFY(f.text()->markers().isEmpty());
        QCOMPARE(list->model()->rowCount(), 0);
        QVERIFY(child<QLabel>(f.view, u"validationSummary"_s)->text().contains(u"valid"_s));
    }

    void completionOffersTheCatalogsActions()
    {
        Fixture f;
        QTextCursor c(f.text()->document()->findBlockByNumber(12)); // after line 13: a new step
        c.movePosition(QTextCursor::EndOfBlock);
        f.text()->setTextCursor(c);
        f.text()->setFocus();
        QTest::keyClick(f.text(), Qt::Key_Return);
        QTest::keyClick(f.text(), Qt::Key_Backtab); // out of the step, to where its items start
        QTest::keyClicks(f.text(), u"- name: page"_s);
        QTest::keyClick(f.text(), Qt::Key_Escape); // no completion wanted for the name
        QTest::keyClick(f.text(), Qt::Key_Return); // auto-indents under the item's first key
        QTest::keyClicks(f.text(), u"action: "_s);
        QCompleter *completer = f.text()->completer();
        QTRY_VERIFY(completer->popup()->isVisible());
        QStringList offered;
        for (int r = 0; r < completer->completionModel()->rowCount(); ++r)
            offered << completer->completionModel()->index(r, 0).data().toString();
        QCOMPARE(offered, ActionCatalog::instance().names());
        QTest::keyClicks(f.text(), u"pag"_s);
        QTRY_COMPARE(completer->completionModel()->rowCount(), 1);
        QTest::keyClick(f.text(), Qt::Key_Tab);
        QVERIFY(!completer->popup()->isVisible());
        QCOMPARE(f.text()->textCursor().block().text(), u"    action: page_oncall"_s);
        // The help panel follows: the action under the cursor, from the catalog.
        QTRY_VERIFY(child<QTextBrowser>(f.view, u"actionHelp"_s)->toHtml().contains(u"page_oncall"_s));
        QVERIFY(child<QTextBrowser>(f.view, u"actionHelp"_s)->toPlainText().contains(u"Notifies people"_s));
        QTRY_VERIFY(f.text()->markers().isEmpty()); // what completion wrote validates
    }

    void helpShowsTheActionUnderTheCursor()
    {
        Fixture f;
        auto *help = child<QTextBrowser>(f.view, u"actionHelp"_s);
        f.view.textEdit()->jumpTo(9, 30); // in `older_than`
        QTRY_VERIFY(help->toPlainText().contains(u"terminate_connections"_s));
        QVERIFY(help->toPlainText().contains(u"safe tier"_s));
        QVERIFY(help->toPlainText().contains(u"Changes the system"_s));
        QVERIFY(help->toPlainText().contains(u"▸ older_than"_s));
        f.view.textEdit()->jumpTo(3, 1);
        QTRY_VERIFY(help->toPlainText().contains(u"Put the cursor in a step"_s));
    }

    void dryRunShowsThePreviewAndExecutesNothing()
    {
        Fixture f;
        f.view.dryRun();
        auto *plan = child<PlanStepsView>(f.view, u"dryRunPlan"_s);
        QVERIFY(f.pump([&] { return plan->blastRadiusView(u"kill_idle"_s) != nullptr; }));
        const BlastRadiusView *radius = plan->blastRadiusView(u"kill_idle"_s);
        QCOMPARE(radius->blastRadius().dimension, u"connections"_s);
        QCOMPARE(radius->blastRadius().fleetSize(), 19);
        QVERIFY(radius->blastRadius().withinCap());
        QVERIFY(radius->blastRadius().affected() > 0);
        const QString mode = child<QLabel>(f.view, u"dryRunMode"_s)->text();
        QVERIFY2(mode.contains(u"Would run automatically"_s), qPrintable(mode));
        QVERIFY(child<QLabel>(f.view, u"dryRunStatus"_s)->text().contains(u"nothing was executed"_s));
        QVERIFY(child<QLabel>(f.view, u"dryRunSubject"_s)->text().contains(u"orders-db"_s));
        QVERIFY(child<QWidget>(f.view, u"dryRunGuardrails"_s)->findChild<QLabel *>(u"guardrail_blast_radius"_s));
        QVERIFY(f.rig.database.executed.isEmpty());
        QVERIFY(f.rig.engine->incidents().isEmpty());
    }

    void savingAnInvalidRunbookLeavesTheLiveVersion()
    {
        Fixture f;
        const QByteArray original = f.liveHash();
        QCOMPARE(original, sha256(QString::fromUtf8(poolRunbook)));
        QVERIFY(f.view.liveStatus().contains(u"this text"_s));

        // A valid change goes live at once.
        f.typeOver(2, u"3"_s, u"2"_s);
        QVERIFY(f.view.save());
        const QString valid = f.text()->toPlainText();
        QVERIFY(f.pump([&] { return f.liveHash() == sha256(valid); }));
        QCOMPARE(readFile(f.poolFile), valid.toUtf8());
        QTRY_VERIFY(
            f.messages.last().contains(u"is live (replaced %1)"_s.arg(QString::fromLatin1(original.toHex().left(12)))));
        QVERIFY(f.view.liveStatus().contains(u"this text"_s));

        // An invalid one is saved (nothing typed is lost) but never replaces it.
        f.typeOver(8, u"terminate_connections"_s, u"terminate_everything"_s);
        QVERIFY(f.view.save());
        QCOMPARE(readFile(f.poolFile), f.text()->toPlainText().toUtf8());
        f.pump([] { return false; }); // give a wrong install every chance to arrive
        QCOMPARE(f.liveHash(), sha256(valid));
        QCOMPARE(f.rig.engine->runbooks().at(1).level, 2);
        QVERIFY2(f.messages.last().contains(u"NOT live"_s), qPrintable(f.messages.last()));
        const QString live = f.view.liveStatus();
        QVERIFY2(
            live.contains(QString::fromLatin1(sha256(valid).toHex().left(12))) && live.contains(u"not this text"_s),
            qPrintable(live));
        QVERIFY(child<QLabel>(f.view, u"liveVersion"_s)->text().contains(u"not this text"_s));
    }

    void anExternalEditIsNoticed()
    {
        Fixture f;
        // No unsaved changes: the editor follows the disk, and a valid file goes live.
        const QByteArray theirs = QByteArray(poolRunbook).replace("level: 3", "level: 1");
        writeFile(f.poolFile, theirs);
        QTRY_COMPARE(f.text()->toPlainText(), QString::fromUtf8(theirs));
        QVERIFY(f.asked.isEmpty());
        QVERIFY(f.pump([&] { return f.liveHash() == sha256(QString::fromUtf8(theirs)); }));
        QVERIFY(f.text()->document()->isUndoAvailable()); // the old text is one Undo away

        // Unsaved changes: the editor asks, and keeping mine keeps mine.
        f.typeOver(5, u"high"_s, u"medium"_s);
        const QString mine = f.text()->toPlainText();
        f.answer = EditorView::Answer::KeepMine;
        writeFile(f.poolFile, QByteArray(poolRunbook).replace("level: 3", "level: 0"));
        QTRY_COMPARE(f.asked.size(), 1);
        QCOMPARE(f.asked.front(), EditorView::Question::ChangedOnDisk);
        QCOMPARE(f.text()->toPlainText(), mine);
        QVERIFY(f.text()->document()->isModified());
        // ... and reloading takes theirs.
        f.answer = EditorView::Answer::Reload;
        writeFile(f.poolFile, QByteArray(poolRunbook).replace("level: 3", "level: 2"));
        QTRY_COMPARE(f.asked.size(), 2);
        QTRY_VERIFY(f.text()->toPlainText().contains(u"level: 2"_s));
        QVERIFY(!f.text()->document()->isModified());
    }

    void asksBeforeLosingUnsavedChanges()
    {
        Fixture f;
        f.typeOver(5, u"high"_s, u"low"_s);
        f.answer = EditorView::Answer::Cancel;
        QVERIFY(!f.view.openFile(f.otherFile));
        QCOMPARE(f.asked, QList { EditorView::Question::UnsavedChanges });
        QCOMPARE(f.view.document()->path(), QFileInfo(f.poolFile).absoluteFilePath());
        f.answer = EditorView::Answer::Discard;
        QVERIFY(f.view.openFile(f.otherFile));
        QVERIFY(f.text()->toPlainText().startsWith(u"name: other"_s));
        QCOMPARE(readFile(f.poolFile), poolRunbook); // discarded, not saved
        f.typeOver(1, u"other"_s, u"other2"_s);
        f.answer = EditorView::Answer::Save;
        QVERIFY(f.view.openFile(f.poolFile));
        QVERIFY(readFile(f.otherFile).startsWith("name: other2"));
    }

    void closingTheWindowAsksFirst()
    {
        Fixture f;
        QWidget window;
        f.view.guardClose(&window);
        window.show();
        f.typeOver(5, u"high"_s, u"low"_s);
        f.answer = EditorView::Answer::Cancel;
        QVERIFY(!window.close());
        QVERIFY(window.isVisible());
        QCOMPARE(f.asked, QList { EditorView::Question::UnsavedChanges });
        f.answer = EditorView::Answer::Save;
        QVERIFY(window.close());
        QVERIFY(readFile(f.poolFile).contains("confidence: low"));
    }

    void undoAndRedo()
    {
        Fixture f;
        QVERIFY(!f.text()->document()->isUndoAvailable()); // opening a file is not an edit
        f.typeOver(5, u"high"_s, u"low"_s);
        QTest::keyClick(f.text(), Qt::Key_Z, Qt::ControlModifier);
        QTRY_VERIFY(!f.text()->toPlainText().contains(u"confidence: low"_s));
        QTest::keyClick(f.text(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
        QTRY_VERIFY(f.text()->toPlainText().contains(u"confidence: lo"_s));
    }

    void aNewRunbookFromATemplateGoesLiveWhenSaved()
    {
        Fixture f;
        const QList<RunbookTemplate> templates = RunbookTemplates::all();
        const auto database = std::find_if(
            templates.begin(), templates.end(), [](const RunbookTemplate &t) { return t.family == u"database"_s; });
        QVERIFY(database != templates.end());
        QVERIFY(f.view.newRunbook(*database, u"idle-sessions"_s));
        QTRY_VERIFY(f.text()->markers().isEmpty());
        QVERIFY(f.view.diagnostics()->errorCount() == 0);
        const QString target = f.dir.filePath(u"idle-sessions.yaml"_s);
        QString suggested;
        f.view.setPathChooser([&](const QString &s) {
            suggested = s;
            return target;
        });
        QVERIFY(f.view.save());
        QCOMPARE(suggested, target);
        QVERIFY(QFile::exists(target));
        QVERIFY(f.view.library()->indexOfFile(target).isValid());
        QVERIFY(f.pump([&] {
            const auto all = f.rig.engine->runbooks();
            return std::any_of(all.begin(), all.end(), [](const Runbook &r) { return r.name == u"idle-sessions"_s; });
        }));
    }

    void drillShowsTheResultAndStoresIt()
    {
        Fixture f;
        f.view.drill();
        auto *verdict = child<QLabel>(f.view, u"drillVerdict"_s);
        QVERIFY(f.pump([&] { return verdict->text().contains(u"PASSED"_s); }));
        QCOMPARE(f.drilled.size(), 1);
        QCOMPARE(f.drilled.front().name, u"pool"_s);
        QVERIFY(verdict->text().contains(u"resolved in 38s"_s));
        QVERIFY(f.pump([&] { return f.rig.store.lastDrill(u"pool"_s).has_value(); }));
        QVERIFY(f.rig.store.lastDrill(u"pool"_s)->passed);
        QVERIFY(f.rig.store.lastDrill(u"pool"_s)->at <= f.rig.clock.now()); // stamped with the engine's clock
        auto *tree = child<QWidget>(f.view, u"runbookTree"_s);
        QVERIFY(tree->isVisible());
        const QModelIndex pool = f.view.library()->indexOfFile(f.poolFile);
        QCOMPARE(pool.siblingAtColumn(RunbookFolderModel::DrillColumn).data().toString(), u"passed just now"_s);
    }
};

QTEST_MAIN(TestEditor)
#include "tst_editor.moc"
