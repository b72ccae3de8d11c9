#pragma once

#include "engine/core/time.h"
#include "engine/runbook/runbook.h"
#include "models/editor/liveversion.h"

#include <QWidget>
#include <functional>

class QAction;
class QLabel;
class QListView;
class QMenu;
class QTimer;
class QTreeView;

namespace antibody {

class DiagnosticModel;
class LiveValidation;
class RehearsalPanel;
class RunbookCommands;
class RunbookDocument;
class RunbookFolderModel;
class RunbookTextEdit;
struct DrillReport;
struct DryRunReport;
struct LoadResult;
struct RunbookTemplate;

// The runbook editor: the library as a tree (level, last drill, overdue drills
// flagged), the YAML with validation as you type, the findings beside it (click to
// jump), help for the action under the cursor, dry run and drill. Saving is atomic;
// a valid runbook goes live in the engine at once, an invalid one is saved but
// never replaces the live version, and the status line says which version is live.
class EditorView : public QWidget
{
    Q_OBJECT
public:
    enum class Question {
        UnsavedChanges, // Save, Discard or Cancel
        ChangedOnDisk, // Reload or KeepMine
    };
    enum class Answer { Save, Discard, Cancel, Reload, KeepMine };
    using Asker = std::function<Answer(Question, const QString &detail)>;
    // Where to save a runbook that has no file yet; empty: cancelled.
    using PathChooser = std::function<QString(const QString &suggested)>;

    explicit EditorView(RunbookCommands *commands, QWidget *parent = nullptr);
    ~EditorView() override;

    void setLibraryFolder(const QString &folder);
    // Opens a runbook (asking about unsaved changes first). False when cancelled or unreadable.
    bool openFile(const QString &path);
    // A new, untitled runbook from a template.
    bool newRunbook(const RunbookTemplate &t, const QString &name);
    bool save();
    // Before closing or switching: false when the user cancels.
    bool maybeSave();
    // Asks about unsaved changes when `window` is about to close, and keeps it open on Cancel.
    void guardClose(QWidget *window);
    void dryRun();
    void drill();
    // The engine's runbooks (from the console's models): which version of this file is live.
    void setLiveRunbooks(const QList<Runbook> &live);
    void setNow(TimePoint now);

    // Tests and the console replace the dialogs.
    void setAsker(Asker asker) { m_ask = std::move(asker); }
    void setPathChooser(PathChooser chooser) { m_choosePath = std::move(chooser); }

    RunbookTextEdit *textEdit() const { return m_text; }
    RunbookDocument *document() const { return m_document; }
    LiveValidation *validation() const { return m_validation; }
    DiagnosticModel *diagnostics() const { return m_diagnostics; }
    RunbookFolderModel *library() const { return m_library; }
    QString liveStatus() const;

Q_SIGNALS:
    // One line for the main window's status bar ("saved; version 1a2b3c is live").
    void statusMessage(const QString &message);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void buildActions();
    void buildLayout();
    void connectParts();
    void onValidated(const LoadResult &result);
    void onInstalled(const QString &runbook, const QByteArray &hash, bool live, const QString &message);
    void onDryRun(const DryRunReport &report);
    void onDrill(const DrillReport &report);
    void onExternalChange();
    void onExternalRemoval();
    void loadText(const QString &text);
    void replaceTextUndoably(const QString &text);
    void updateHelp();
    void updateLiveLabel();
    void updateTitle();
    void say(const QString &message);
    Answer ask(Question q, const QString &detail);
    std::optional<Runbook> validRunbook(const QString &purpose);

    RunbookCommands *m_commands;
    RunbookDocument *m_document;
    LiveValidation *m_validation;
    DiagnosticModel *m_diagnostics;
    RunbookFolderModel *m_library;
    RunbookTextEdit *m_text;
    QTreeView *m_tree;
    QListView *m_findings;
    QLabel *m_summary;
    QLabel *m_position;
    QLabel *m_live;
    QLabel *m_title;
    RehearsalPanel *m_side;
    QMenu *m_templates;
    QAction *m_saveAction;
    QAction *m_undoAction;
    QAction *m_redoAction;
    QAction *m_dryRunAction;
    QAction *m_drillAction;
    QTimer *m_helpTimer;
    LiveVersion m_liveVersion;
    QString m_lastStatus;
    Asker m_ask;
    PathChooser m_choosePath;
};

} // namespace antibody
