#pragma once

#include "engine/runbook/diagnostic.h"
#include "engine/runbook/runbook.h"

#include <QList>
#include <QPlainTextEdit>
#include <QStandardItemModel>
#include <QTextCursor>

class QCompleter;

namespace antibody {

class LineNumberGutter;
class YamlHighlighter;

// The runbook's YAML: syntax highlighting, line numbers, the current line
// highlighted, the validator's findings underlined where they are (hover for the
// message and hint), and completion of keys, actions and parameters from the
// action catalog (Ctrl+Space, or as you type). Tab indents with spaces: YAML
// forbids tabs in indentation.
class RunbookTextEdit : public QPlainTextEdit
{
    Q_OBJECT
public:
    // An underlined finding, where it is now: its cursor follows edits until the next validation.
    struct Marker
    {
        QTextCursor cursor;
        Diagnostic diagnostic;

        int line() const; // 1-based, of the marker's start as the text is now
        int column() const; // 1-based, in characters
    };

    explicit RunbookTextEdit(QWidget *parent = nullptr);

    void setDiagnostics(const QList<Diagnostic> &diagnostics);
    const QList<Marker> &markers() const { return m_markers; }
    // Puts the cursor at a loader position (1-based line, column in characters) and shows it.
    void jumpTo(int line, int column);
    // The cursor as the loader counts: 1-based line and column.
    SourceLocation cursorLocation() const;

    // Offers completion at the cursor; returns how many items were offered.
    int complete(bool explicitRequest = true);
    QCompleter *completer() const { return m_completer; }

    int gutterWidth() const;
    void paintGutter(QPaintEvent *event);

protected:
    void keyPressEvent(QKeyEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool event(QEvent *event) override;

private:
    void updateGutterWidth();
    void updateGutter(const QRect &rect, int dy);
    void refreshSelections();
    void insertCompletion(const QModelIndex &index);
    void newlineWithIndent();
    bool handleCompletionKey(QKeyEvent *event);
    bool shouldOfferAfter(const QString &typed) const;

    LineNumberGutter *m_gutter;
    YamlHighlighter *m_highlighter;
    QCompleter *m_completer;
    QStandardItemModel m_completions;
    qsizetype m_replaceStart = 0;
    QList<Marker> m_markers;
};

} // namespace antibody
