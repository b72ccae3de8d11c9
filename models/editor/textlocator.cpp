#include "models/editor/textlocator.h"

#include <algorithm>

namespace antibody {

bool isRunbookWordChar(QChar c)
{
    return c.isLetterOrNumber() || c == u'_' || c == u'-' || c == u'.' || c == u'%';
}

TextLocator::TextLocator(QString text)
    : m_text(std::move(text))
{
    m_lineStarts << 0;
    for (qsizetype i = 0; i < m_text.size(); ++i) {
        if (m_text.at(i) == u'\n')
            m_lineStarts << i + 1;
    }
}

qsizetype TextLocator::lineStart(int line) const
{
    if (line < 1)
        return 0;
    if (line > lineCount())
        return m_text.size();
    return m_lineStarts.at(line - 1);
}

QStringView TextLocator::lineText(int line) const
{
    if (line < 1 || line > lineCount())
        return {};
    const qsizetype start = m_lineStarts.at(line - 1);
    qsizetype end = line < lineCount() ? m_lineStarts.at(line) - 1 : m_text.size();
    if (end > start && m_text.at(end - 1) == u'\r')
        --end;
    return QStringView(m_text).mid(start, end - start);
}

qsizetype TextLocator::offsetOf(int line, int column) const
{
    if (line > lineCount())
        return m_text.size();
    const qsizetype start = lineStart(line);
    const QStringView text = lineText(line);
    qsizetype i = 0;
    // Step one character (one or two code units) per column.
    for (int c = 1; c < column && i < text.size(); ++c)
        i += (text.at(i).isHighSurrogate() && i + 1 < text.size() && text.at(i + 1).isLowSurrogate()) ? 2 : 1;
    return start + i;
}

SourceLocation TextLocator::locationOf(qsizetype offset) const
{
    offset = std::clamp<qsizetype>(offset, 0, m_text.size());
    const auto after = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), offset);
    const int line = static_cast<int>(after - m_lineStarts.begin());
    const qsizetype start = m_lineStarts.at(line - 1);
    int column = 1;
    for (qsizetype i = start; i < offset; ++i) {
        if (!m_text.at(i).isLowSurrogate())
            ++column;
    }
    return SourceLocation { line, column };
}

TextLocator::Span TextLocator::underline(qsizetype offset) const
{
    const SourceLocation at = locationOf(offset);
    const qsizetype start = lineStart(at.line);
    const QStringView line = lineText(at.line);
    qsizetype i = offset - start;
    if (line.trimmed().isEmpty())
        return { offset, 0 };
    if (i >= line.size() || line.mid(i).trimmed().isEmpty()) {
        // A missing value at the line's end: mark the last visible character.
        qsizetype last = line.size() - 1;
        while (last > 0 && line.at(last).isSpace())
            --last;
        return { start + last, 1 };
    }
    const QChar first = line.at(i);
    qsizetype end = i + 1;
    if (first == u'"' || first == u'\'') {
        while (end < line.size() && line.at(end) != first)
            end += (first == u'"' && line.at(end) == u'\\') ? 2 : 1;
        end = std::min(end + 1, line.size());
    } else if (isRunbookWordChar(first)) {
        while (end < line.size() && isRunbookWordChar(line.at(end)))
            ++end;
    } else if (first.isSpace()) {
        // An indentation or spacing problem: underline up to the text that follows.
        while (end < line.size() && line.at(end).isSpace())
            ++end;
    } else {
        // Punctuation ({, [, :, -...): the rest of the line's visible text.
        end = line.size();
        while (end > i + 1 && line.at(end - 1).isSpace())
            --end;
    }
    return { offset, end - i };
}

} // namespace antibody
