#pragma once

#include "engine/runbook/runbook.h"

#include <QByteArray>
#include <QList>

namespace antibody {

// Turns byte offsets (what yaml-cpp's marks and the byte checks know) into the 1-based
// line and column an editor shows, counting columns in characters, not bytes.
class LineIndex
{
public:
    explicit LineIndex(const QByteArray &utf8);

    SourceLocation locate(qsizetype byteOffset) const;

private:
    QByteArray m_bytes;
    QList<qsizetype> m_lineStarts;
    QList<bool> m_lineAscii; // columns are byte offsets on pure ASCII lines
    // Marks arrive mostly in file order: on a long non-ASCII line, count on from the
    // last answer instead of from the line's start (linear, not quadratic, overall).
    mutable qsizetype m_lastOffset = -1;
    mutable SourceLocation m_last;
};

} // namespace antibody
