#include "engine/runbook/lineindex.h"

#include <algorithm>

namespace antibody {

LineIndex::LineIndex(const QByteArray &utf8)
    : m_bytes(utf8)
{
    m_lineStarts << 0;
    bool ascii = true;
    for (qsizetype i = 0; i < m_bytes.size(); ++i) {
        if (m_bytes[i] == '\n') {
            m_lineStarts << i + 1;
            m_lineAscii << ascii;
            ascii = true;
        } else if (static_cast<unsigned char>(m_bytes[i]) >= 0x80) {
            ascii = false;
        }
    }
    m_lineAscii << ascii;
}

SourceLocation LineIndex::locate(qsizetype byteOffset) const
{
    byteOffset = std::clamp<qsizetype>(byteOffset, 0, m_bytes.size());
    const auto after = std::upper_bound(m_lineStarts.begin(), m_lineStarts.end(), byteOffset);
    const qsizetype line = after - m_lineStarts.begin(); // 1-based: the count of starts at or before
    const qsizetype start = m_lineStarts[line - 1];
    if (m_lineAscii[line - 1])
        return SourceLocation { static_cast<int>(line), static_cast<int>(byteOffset - start + 1) };
    qsizetype from = start;
    int column = 1;
    if (m_last.line == line && m_lastOffset <= byteOffset && m_lastOffset >= start) {
        from = m_lastOffset;
        column = m_last.column;
    }
    for (qsizetype i = from; i < byteOffset; ++i) {
        // UTF-8 continuation bytes (10xxxxxx) do not start a character.
        if ((static_cast<unsigned char>(m_bytes[i]) & 0xC0) != 0x80)
            ++column;
    }
    m_lastOffset = byteOffset;
    m_last = SourceLocation { static_cast<int>(line), column };
    return m_last;
}

} // namespace antibody
