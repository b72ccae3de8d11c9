#include "ui/editor/editorview.h"

#include "models/editor/diagnosticmodel.h"
#include "models/editor/livevalidation.h"
#include "models/editor/liveversion.h"
#include "models/editor/runbookcommands.h"
#include "models/editor/runbookdocument.h"
#include "models/editor/runbookfoldermodel.h"
#include "models/editor/runbooktemplates.h"
#include "ui/consolepalette.h"
#include "ui/editor/diagnosticdelegate.h"
#include "ui/editor/dryrunpanel.h"
#include "ui/editor/rehearsalpanel.h"
#include "ui/editor/runbooktextedit.h"

#include <QCloseEvent>
#include <QDir>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QLabel>
#include <QListView>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSplitter>
#include <QTimer>
#include <QToolBar>
#include <QToolButton>
#include <QTreeView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {
EditorView::EditorView(RunbookCommands *commands, QWidget *parent)
    : QWidget(parent)
    , m_commands(commands)
    , m_document(new RunbookDocument(this))
    , m_validation(new LiveValidation(this))
    , m_diagnostics(new DiagnosticModel(this))
    , m_library(new RunbookFolderModel(this))
    , m_text(new RunbookTextEdit(this))
    , m_helpTimer(new QTimer(this))
{
    setObjectName(u"runbookEditor"_s);
    buildActions();
    buildLayout();
    connectParts();
    m_document->openUntitled();
    loadText({});
}

EditorView::~EditorView() = default;

void EditorView::buildActions()
{
    m_templates = new QMenu(tr("New runbook"), this);
    m_templates->setObjectName(u"templateMenu"_s);
    for (const RunbookTemplate &t : RunbookTemplates::all()) {
        QAction *a = m_templates->addAction(t.title);
        connect(a, &QAction::triggered, this, [this, t] { newRunbook(t, u"new-%1-runbook"_s.arg(t.family)); });
    }
    m_saveAction = new QAction(tr("Save"), this);
    m_saveAction->setShortcut(QKeySequence::Save);
    m_saveAction->setToolTip(tr("Save (Ctrl+S): written atomically; a valid runbook goes live in the engine at once"));
    connect(m_saveAction, &QAction::triggered, this, &EditorView::save);
    m_undoAction = new QAction(tr("Undo"), this);
    m_undoAction->setShortcut(QKeySequence::Undo);
    m_undoAction->setEnabled(false);
    connect(m_undoAction, &QAction::triggered, m_text, &QPlainTextEdit::undo);
    m_redoAction = new QAction(tr("Redo"), this);
    m_redoAction->setShortcut(QKeySequence::Redo);
    m_redoAction->setEnabled(false);
    connect(m_redoAction, &QAction::triggered, m_text, &QPlainTextEdit::redo);
    m_dryRunAction = new QAction(tr("Dry run"), this);
    m_dryRunAction->setShortcut(Qt::CTRL | Qt::Key_D);
    m_dryRunAction->setToolTip(
        tr("Dry run (Ctrl+D): the plan and blast radius against the fleet now; executes nothing"));
    connect(m_dryRunAction, &QAction::triggered, this, &EditorView::dryRun);
    m_drillAction = new QAction(tr("Drill"), this);
    m_drillAction->setShortcut(Qt::CTRL | Qt::Key_R);
    m_drillAction->setToolTip(
        tr("Drill (Ctrl+R): run it in the simulator, in virtual time, against its drill scenario"));
    connect(m_drillAction, &QAction::triggered, this, &EditorView::drill);
    for (QAction *a : { m_saveAction, m_undoAction, m_redoAction, m_dryRunAction, m_drillAction })
        a->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    addActions({ m_saveAction, m_undoAction, m_redoAction, m_dryRunAction, m_drillAction });
}

void EditorView::buildLayout()
{
    auto *toolbar = new QToolBar(this);
    toolbar->setObjectName(u"editorToolbar"_s);
    auto *newButton = new QToolButton(toolbar);
    newButton->setText(tr("New"));
    newButton->setMenu(m_templates);
    newButton->setPopupMode(QToolButton::InstantPopup);
    toolbar->addWidget(newButton);
    toolbar->addAction(m_saveAction);
    toolbar->addSeparator();
    toolbar->addAction(m_undoAction);
    toolbar->addAction(m_redoAction);
    toolbar->addSeparator();
    toolbar->addAction(m_dryRunAction);
    toolbar->addAction(m_drillAction);
    m_title = new QLabel(toolbar);
    m_title->setObjectName(u"editorFile"_s);
    m_title->setContentsMargins(12, 0, 0, 0);
    toolbar->addWidget(m_title);

    m_tree = new QTreeView(this);
    m_tree->setObjectName(u"runbookTree"_s);
    m_tree->setModel(m_library);
    m_tree->setUniformRowHeights(true);
    m_tree->header()->setStretchLastSection(true);
    m_tree->header()->setSectionResizeMode(RunbookFolderModel::NameColumn, QHeaderView::ResizeToContents);
    m_tree->header()->setSectionResizeMode(RunbookFolderModel::LevelColumn, QHeaderView::ResizeToContents);

    m_summary = new QLabel(this);
    m_summary->setObjectName(u"validationSummary"_s);
    m_findings = new QListView(this);
    m_findings->setObjectName(u"diagnosticList"_s);
    m_findings->setModel(m_diagnostics);
    m_findings->setItemDelegate(new DiagnosticDelegate(m_findings));
    m_findings->setWordWrap(true);
    m_findings->setUniformItemSizes(false);
    auto *findingsBox = new QWidget(this);
    auto *findingsLayout = new QVBoxLayout(findingsBox);
    findingsLayout->setContentsMargins(0, 0, 0, 0);
    findingsLayout->addWidget(m_summary);
    findingsLayout->addWidget(m_findings, 1);

    m_position = new QLabel(this);
    m_position->setObjectName(u"cursorPosition"_s);
    m_live = new QLabel(this);
    m_live->setObjectName(u"liveVersion"_s);
    m_live->setWordWrap(true);
    auto *statusLine = new QHBoxLayout;
    statusLine->addWidget(m_position);
    statusLine->addWidget(m_live, 1);

    auto *center = new QWidget(this);
    auto *centerSplit = new QSplitter(Qt::Vertical, center);
    centerSplit->addWidget(m_text);
    centerSplit->addWidget(findingsBox);
    centerSplit->setStretchFactor(0, 4);
    centerSplit->setStretchFactor(1, 1);
    auto *centerLayout = new QVBoxLayout(center);
    centerLayout->setContentsMargins(0, 0, 0, 0);
    centerLayout->addWidget(centerSplit, 1);
    centerLayout->addLayout(statusLine);

    m_side = new RehearsalPanel(this);

    auto *split = new QSplitter(Qt::Horizontal, this);
    split->setObjectName(u"editorSplit"_s);
    split->addWidget(m_tree);
    split->addWidget(center);
    split->addWidget(m_side);
    split->setStretchFactor(0, 2);
    split->setStretchFactor(1, 5);
    split->setStretchFactor(2, 3);
    split->setSizes({ 300, 700, 420 });

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(toolbar);
    layout->addWidget(split, 1);
}

void EditorView::connectParts()
{
    m_helpTimer->setSingleShot(true);
    m_helpTimer->setInterval(80);
    connect(m_helpTimer, &QTimer::timeout, this, &EditorView::updateHelp);
    connect(m_text, &QPlainTextEdit::textChanged, this, [this] {
        m_validation->schedule(m_text->toPlainText());
        updateLiveLabel();
    });
    connect(m_text, &QPlainTextEdit::cursorPositionChanged, this, [this] {
        const SourceLocation at = m_text->cursorLocation();
        m_position->setText(tr("Line %1, column %2").arg(at.line).arg(at.column));
        m_helpTimer->start();
    });
    connect(m_text, &QPlainTextEdit::undoAvailable, m_undoAction, &QAction::setEnabled);
    connect(m_text, &QPlainTextEdit::redoAvailable, m_redoAction, &QAction::setEnabled);
    connect(m_text, &QPlainTextEdit::modificationChanged, this, &EditorView::updateTitle);
    connect(m_validation, &LiveValidation::validated, this, &EditorView::onValidated);
    connect(m_findings, &QListView::activated, this, [this](const QModelIndex &i) {
        m_text->jumpTo(i.data(DiagnosticModel::LineRole).toInt(), i.data(DiagnosticModel::ColumnRole).toInt());
    });
    connect(m_findings, &QListView::clicked, m_findings, &QListView::activated);
    connect(m_tree, &QTreeView::activated, this, [this](const QModelIndex &i) {
        if (!i.data(RunbookFolderModel::IsFolderRole).toBool())
            openFile(i.data(RunbookFolderModel::PathRole).toString());
    });
    connect(m_document, &RunbookDocument::externallyChanged, this, &EditorView::onExternalChange);
    connect(m_document, &RunbookDocument::externallyRemoved, this, &EditorView::onExternalRemoval);
    connect(m_commands, &RunbookCommands::installed, this, &EditorView::onInstalled);
    connect(m_commands, &RunbookCommands::dryRunReady, this, &EditorView::onDryRun);
    connect(m_commands, &RunbookCommands::drillFinished, this, &EditorView::onDrill);
    connect(m_commands, &RunbookCommands::drillHistoryLoaded, m_library, &RunbookFolderModel::setDrillHistory);
}

void EditorView::setLibraryFolder(const QString &folder)
{
    m_library->setRoot(folder);
    m_tree->expandAll();
    m_commands->loadDrillHistory(m_library->runbookNames());
}

EditorView::Answer EditorView::ask(Question q, const QString &detail)
{
    if (m_ask)
        return m_ask(q, detail);
    QMessageBox box(this);
    box.setIcon(QMessageBox::Warning);
    box.setText(detail);
    if (q == Question::UnsavedChanges) {
        box.setWindowTitle(tr("Unsaved changes"));
        box.setStandardButtons(QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel);
        box.setDefaultButton(QMessageBox::Save);
        const int b = box.exec();
        return b == QMessageBox::Save ? Answer::Save : b == QMessageBox::Discard ? Answer::Discard : Answer::Cancel;
    }
    box.setWindowTitle(tr("Changed on disk"));
    QPushButton *reload = box.addButton(tr("Reload from disk"), QMessageBox::AcceptRole);
    box.addButton(tr("Keep my text"), QMessageBox::RejectRole);
    box.setDefaultButton(reload);
    box.exec();
    return box.clickedButton() == static_cast<QAbstractButton *>(reload) ? Answer::Reload : Answer::KeepMine;
}

bool EditorView::maybeSave()
{
    if (!m_text->document()->isModified())
        return true;
    const QString name = m_document->isUntitled() ? tr("The new runbook") : QFileInfo(m_document->path()).fileName();
    switch (ask(Question::UnsavedChanges, tr("%1 has changes that are not saved. Save them?").arg(name))) {
    case Answer::Save:
        return save();
    case Answer::Discard:
        return true;
    default:
        return false;
    }
}

void EditorView::guardClose(QWidget *window)
{
    window->installEventFilter(this);
}

bool EditorView::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() == QEvent::Close && watched->isWidgetType() && !maybeSave()) {
        event->ignore();
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

void EditorView::loadText(const QString &text)
{
    m_text->setPlainText(text); // a new document: the undo history starts here
    m_text->document()->setModified(false);
    m_validation->setFileName(m_document->isUntitled() ? u"untitled.yaml"_s : m_document->path());
    m_validation->validateNow(text);
    m_side->clearResults();
    updateTitle();
    updateLiveLabel();
    updateHelp();
}

bool EditorView::openFile(const QString &path)
{
    if (QFileInfo(path).absoluteFilePath() == m_document->path())
        return true;
    if (!maybeSave())
        return false;
    if (!m_document->open(path)) {
        say(m_document->errorString());
        return false;
    }
    loadText(QString::fromUtf8(m_document->diskBytes()));
    m_tree->setCurrentIndex(m_library->indexOfFile(path));
    say(tr("Opened %1").arg(QDir::toNativeSeparators(path)));
    return true;
}

bool EditorView::newRunbook(const RunbookTemplate &t, const QString &name)
{
    if (!maybeSave())
        return false;
    m_document->openUntitled();
    loadText(RunbookTemplates::instantiate(t, name));
    m_text->document()->setModified(true); // nothing on disk yet
    updateTitle();
    say(tr("New runbook from the %1 template; Save writes it to the library").arg(t.family));
    return true;
}

bool EditorView::save()
{
    QString target;
    if (m_document->isUntitled()) {
        const LoadResult &r = m_validation->validateNow(m_text->toPlainText());
        const QString name = r.runbook ? r.runbook->name : u"runbook"_s;
        const QString suggested
            = QDir(m_library->root().isEmpty() ? QDir::currentPath() : m_library->root()).filePath(name + u".yaml"_s);
        target = m_choosePath
            ? m_choosePath(suggested)
            : QFileDialog::getSaveFileName(this, tr("Save runbook"), suggested, tr("Runbooks (*.yaml *.yml)"));
        if (target.isEmpty())
            return false;
    }
    const QByteArray bytes = m_text->toPlainText().toUtf8();
    if (!m_document->save(bytes, target)) {
        say(m_document->errorString());
        return false;
    }
    m_text->document()->setModified(false);
    m_validation->setFileName(m_document->path());
    const LoadResult &result = m_validation->validateNow(m_text->toPlainText());
    m_library->refresh();
    m_tree->expandAll();
    m_tree->setCurrentIndex(m_library->indexOfFile(m_document->path()));
    updateTitle();
    if (result.runbook) {
        say(tr("Saved %1; reloading it in the engine…").arg(QFileInfo(m_document->path()).fileName()));
        m_commands->install(*result.runbook);
    } else {
        const int errors = m_diagnostics->errorCount();
        say(tr("Saved with %n error(s): NOT live. %1", nullptr, errors).arg(liveStatus()));
    }
    updateLiveLabel();
    return true;
}

void EditorView::onValidated(const LoadResult &result)
{
    m_diagnostics->setDiagnostics(result.diagnostics);
    m_text->setDiagnostics(result.diagnostics);
    const ConsolePalette colours = ConsolePalette::from(palette());
    const QColor colour = m_diagnostics->errorCount() > 0 ? colours.blocked
        : m_diagnostics->warningCount() > 0               ? colours.waiting
                                                          : colours.ok;
    m_summary->setText(u"<b style='color:%1'>%2</b> — %3"_s.arg(colour.name(), m_diagnostics->summary().toHtmlEscaped(),
        tr("checked by the same validator as <code>antibodyctl lint</code>")));
    updateLiveLabel();
}

QString EditorView::liveStatus() const
{
    return m_liveVersion.describe(m_document->path(), LiveVersion::hashOfText(m_text->toPlainText()));
}

void EditorView::updateLiveLabel()
{
    const ConsolePalette colours = ConsolePalette::from(palette());
    const auto state = m_liveVersion.state(m_document->path(), LiveVersion::hashOfText(m_text->toPlainText()));
    const QColor colour = state == LiveVersion::State::ThisText ? colours.ok
        : state == LiveVersion::State::OtherText                ? colours.waiting
                                                                : colours.muted;
    m_live->setText(u"<span style='color:%1'>%2</span>"_s.arg(colour.name(), liveStatus().toHtmlEscaped()));
}

void EditorView::setLiveRunbooks(const QList<Runbook> &live)
{
    m_liveVersion.setLive(live);
    updateLiveLabel();
}

void EditorView::setNow(TimePoint now)
{
    m_library->setNow(now);
}

void EditorView::onInstalled(const QString &runbook, const QByteArray &hash, bool live, const QString &message)
{
    if (live) {
        m_liveVersion.confirmInstalled(runbook, m_document->path(), hash);
        say(tr("Saved; %1 — hot reloaded: new incidents use it, open ones keep theirs.").arg(message));
    } else {
        say(tr("Saved, but the engine refused it: %1. %2").arg(message, liveStatus()));
    }
    updateLiveLabel();
}

std::optional<Runbook> EditorView::validRunbook(const QString &purpose)
{
    const LoadResult &r = m_validation->validateNow(m_text->toPlainText());
    if (r.runbook)
        return r.runbook;
    say(tr("%1 needs a valid runbook: fix the %n error(s) first.", nullptr, m_diagnostics->errorCount()).arg(purpose));
    return std::nullopt;
}

void EditorView::dryRun()
{
    const auto runbook = validRunbook(tr("A dry run"));
    if (!runbook) {
        DryRunReport report;
        report.error
            = tr("the runbook has errors; a dry run plans only a runbook that validates (see the list under the text)");
        m_side->showDryRun(report);
        return;
    }
    m_side->dryRunStarted(*runbook);
    m_commands->dryRun(*runbook);
}

void EditorView::onDryRun(const DryRunReport &report)
{
    m_side->showDryRun(report);
    say(report.error.isEmpty() ? tr("Dry run of %1: %2 (nothing executed)")
                                     .arg(report.runbook, DryRunPanel::headline(report.proposal).toLower())
                               : tr("No dry run: %1").arg(report.error));
}

void EditorView::drill()
{
    const auto runbook = validRunbook(tr("A drill"));
    if (!runbook) {
        DrillReport report;
        report.error = tr("the runbook has errors; only a runbook that validates can be drilled");
        m_side->showDrill(report);
        return;
    }
    m_side->drillStarted(*runbook);
    m_commands->drill(*runbook);
}

void EditorView::onDrill(const DrillReport &report)
{
    m_side->showDrill(report);
    if (report.ran())
        m_library->setDrillHistory({ report.result });
    say(!report.ran() ? tr("Cannot drill: %1").arg(report.error)
                      : tr("Drill of %1 %2: %3")
                            .arg(report.result.runbook, report.result.passed ? tr("passed") : tr("FAILED"),
                                report.result.detail));
}

void EditorView::replaceTextUndoably(const QString &text)
{
    QTextCursor c(m_text->document());
    c.beginEditBlock();
    c.select(QTextCursor::Document);
    c.insertText(text);
    c.endEditBlock();
}

void EditorView::onExternalChange()
{
    const QString name = QFileInfo(m_document->path()).fileName();
    const bool mine = m_text->document()->isModified();
    if (mine
        && ask(Question::ChangedOnDisk,
               tr("%1 was changed on disk by someone else, and you have unsaved changes. Reload it from disk "
                  "(your text stays in Undo), or keep your text (saving overwrites theirs)?")
                   .arg(name))
            == Answer::KeepMine) {
        say(tr("%1 changed on disk; kept your text. Saving overwrites the file.").arg(name));
        return;
    }
    replaceTextUndoably(QString::fromUtf8(m_document->diskBytes()));
    m_text->document()->setModified(false);
    const LoadResult &r = m_validation->validateNow(m_text->toPlainText());
    m_library->refresh();
    m_tree->expandAll();
    if (r.runbook) {
        say(tr("%1 changed on disk: reloaded, and it validates; reloading it in the engine…").arg(name));
        m_commands->install(*r.runbook);
    } else {
        say(tr("%1 changed on disk: reloaded; it has errors, so the engine keeps its version.").arg(name));
    }
    updateTitle();
}

void EditorView::onExternalRemoval()
{
    m_text->document()->setModified(true);
    say(tr("%1 was deleted or moved on disk. Save writes it back; the engine keeps its version until then.")
            .arg(QDir::toNativeSeparators(m_document->path())));
    updateTitle();
}

void EditorView::updateHelp()
{
    m_side->showHelpAt(m_text->toPlainText(), m_text->textCursor().position());
}

void EditorView::updateTitle()
{
    const QString name
        = m_document->isUntitled() ? tr("untitled runbook") : QDir::toNativeSeparators(m_document->path());
    m_title->setText((m_text->document()->isModified() ? u"● "_s : QString()) + name);
}

void EditorView::say(const QString &message)
{
    m_lastStatus = message;
    Q_EMIT statusMessage(message);
}

} // namespace antibody
