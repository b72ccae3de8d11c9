#pragma once

#include "engine/runbook/runbook.h"

#include <QList>
#include <QString>
#include <QStringView>

namespace antibody {

// Converts between the loader's positions (1-based line and column, columns counted
// in Unicode characters) and offsets into the editor's text (UTF-16 code units, what
// QTextCursor counts). The two differ on every line with a character outside the
// Basic Multilingual Plane, so the editor never mixes them.
class TextLocator
{
public:
    explicit TextLocator(QString text);

    int lineCount() const { return static_cast<int>(m_lineStarts.size()); }
    // Offset of the first character of a 1-based line; clamped to the text.
    qsizetype lineStart(int line) const;
    // The line without its line break.
    QStringView lineText(int line) const;

    // The offset a diagnostic at (line, column) points at. A column past the end of
    // its line lands at the line's end, a line past the end at the text's end.
    qsizetype offsetOf(int line, int column) const;
    qsizetype offsetOf(SourceLocation location) const { return offsetOf(location.line, location.column); }
    // The loader's position of an offset.
    SourceLocation locationOf(qsizetype offset) const;

    // What to underline for a diagnostic at `offset`: the word, number or quoted
    // string that starts there, else the rest of the line's visible text. At a
    // line's end (a missing value) it is the last visible character before it, so
    // every located diagnostic shows. Empty only on an empty line.
    struct Span
    {
        qsizetype start = 0;
        qsizetype length = 0;
    };
    Span underline(qsizetype offset) const;

    const QString &text() const { return m_text; }

private:
    QString m_text;
    QList<qsizetype> m_lineStarts;
};

// A character of a runbook word (a key, a name, a number, a `%`): what a
// diagnostic's underline spans and what completion takes as the word being typed.
bool isRunbookWordChar(QChar c);

} // namespace antibody
