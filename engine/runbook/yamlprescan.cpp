#include "engine/runbook/yamlprescan.h"

#include "engine/runbook/runbookloader.h"

#include <vector>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// Length of the UTF-8 sequence at `i`, or 0 when it is not valid UTF-8 (overlong forms,
// surrogates and code points above U+10FFFF included).
int utf8Length(const QByteArray &b, qsizetype i)
{
    const auto at = [&](qsizetype k) { return static_cast<unsigned char>(b[k]); };
    const unsigned char c = at(i);
    if (c < 0x80)
        return 1;
    int length = 0;
    unsigned int min = 0;
    unsigned int cp = 0;
    if ((c & 0xE0) == 0xC0) {
        length = 2;
        min = 0x80;
        cp = c & 0x1F;
    } else if ((c & 0xF0) == 0xE0) {
        length = 3;
        min = 0x800;
        cp = c & 0x0F;
    } else if ((c & 0xF8) == 0xF0) {
        length = 4;
        min = 0x10000;
        cp = c & 0x07;
    } else {
        return 0;
    }
    if (i + length > b.size())
        return 0;
    for (int k = 1; k < length; ++k) {
        if ((at(i + k) & 0xC0) != 0x80)
            return 0;
        cp = (cp << 6) | (at(i + k) & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
        return 0;
    return length;
}

bool checkEncoding(const QByteArray &bytes, const LineIndex &index, DiagnosticReport &report, const QString &noun)
{
    for (qsizetype i = 0; i < bytes.size();) {
        const int length = utf8Length(bytes, i);
        if (length == 0) {
            report.add(DiagnosticCode::InvalidUtf8, index.locate(i),
                u"byte 0x%1 at offset %2 is not valid UTF-8"_s
                    .arg(static_cast<unsigned char>(bytes[i]), 2, 16, QChar(u'0'))
                    .arg(i),
                u"save the file as UTF-8 (a %1 is text; binary data does not belong in it)"_s.arg(noun));
            return false;
        }
        const unsigned char c = static_cast<unsigned char>(bytes[i]);
        if (length == 1 && ((c < 0x20 && c != '\t' && c != '\n' && c != '\r') || c == 0x7F)) {
            report.add(DiagnosticCode::ControlCharacter, index.locate(i),
                u"control character U+%1 is not allowed in YAML"_s.arg(c, 4, 16, QChar(u'0')),
                u"remove it; write it as an escape (\"\\x%1\") inside double quotes if it is really meant"_s.arg(
                    c, 2, 16, QChar(u'0')));
            return false;
        }
        i += length;
    }
    return true;
}

bool checkTabs(const QByteArray &bytes, const LineIndex &index, DiagnosticReport &report)
{
    bool clean = true;
    qsizetype lineStart = 0;
    while (lineStart < bytes.size()) {
        qsizetype lineEnd = bytes.indexOf('\n', lineStart);
        if (lineEnd < 0)
            lineEnd = bytes.size();
        qsizetype i = lineStart;
        qsizetype tab = -1;
        while (i < lineEnd && (bytes[i] == ' ' || bytes[i] == '\t')) {
            if (bytes[i] == '\t' && tab < 0)
                tab = i;
            ++i;
        }
        const bool blank = i == lineEnd || bytes[i] == '\r';
        if (tab >= 0 && !blank) {
            report.add(DiagnosticCode::TabIndent, index.locate(tab), u"this line is indented with a tab"_s,
                u"YAML indentation is spaces only: replace the tab with spaces (set your editor to insert spaces)"_s);
            clean = false;
        }
        lineStart = lineEnd + 1;
    }
    return clean;
}

// Estimates nesting depth line by line: block collections by indentation (and each
// "- " or "? " on a line), flow collections by brackets outside quotes and comments.
// Errs on the side of counting too much; yaml-cpp must never see more than the limit.
class DepthScanner
{
public:
    DepthScanner(const QByteArray &bytes, const LineIndex &index, DiagnosticReport &report, const YamlContent &content)
        : m_bytes(bytes)
        , m_index(index)
        , m_report(report)
        , m_content(content)
    {
    }

    bool run()
    {
        qsizetype lineStart = 0;
        while (lineStart < m_bytes.size()) {
            qsizetype lineEnd = m_bytes.indexOf('\n', lineStart);
            if (lineEnd < 0)
                lineEnd = m_bytes.size();
            if (!scanLine(lineStart, lineEnd))
                return false;
            lineStart = lineEnd + 1;
        }
        return true;
    }

private:
    char at(qsizetype i, qsizetype end) const { return i < end ? m_bytes[i] : '\n'; }
    static bool isSpace(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

    bool tooDeep(qsizetype offset)
    {
        const int depth = static_cast<int>(m_block.size()) + m_flow;
        if (depth <= maxYamlDepth)
            return false;
        m_report.add(DiagnosticCode::TooDeep, m_index.locate(offset),
            u"collections are nested more than %1 levels deep here"_s.arg(maxYamlDepth),
            u"a %1 needs about %2 levels; flatten this structure"_s.arg(m_content.noun).arg(m_content.typicalDepth));
        return true;
    }

    // Skips anchors (&a) and tags (!t) in front of a value: "&a [" still opens a collection.
    qsizetype skipProperties(qsizetype i, qsizetype end) const
    {
        while (at(i, end) == '&' || at(i, end) == '!') {
            ++i;
            while (i < end && !isSpace(m_bytes[i]) && !QByteArrayView("[]{},").contains(m_bytes[i]))
                ++i;
            while (i < end && m_bytes[i] == ' ')
                ++i;
        }
        return i;
    }

    bool scanLine(qsizetype start, qsizetype end)
    {
        qsizetype i = start;
        while (i < end && m_bytes[i] == ' ')
            ++i;
        const qsizetype indent = i - start;
        const bool blank = i >= end || m_bytes[i] == '\r' || m_bytes[i] == '#';
        if (m_quote == 0 && m_flow == 0) {
            if (m_blockScalarIndent >= 0) {
                if (blank || indent > m_blockScalarIndent)
                    return true; // text of a | or > scalar: brackets in it are not YAML
                m_blockScalarIndent = -1;
            }
            if (blank)
                return true;
            while (!m_block.empty() && m_block.back() > indent)
                m_block.pop_back();
            if (m_block.empty() || m_block.back() < indent)
                m_block.push_back(indent);
            // "- - - x" and "? x": each indicator opens one more level on the same line.
            while ((at(i, end) == '-' || at(i, end) == '?') && isSpace(at(i + 1, end))) {
                i += 1;
                while (i < end && m_bytes[i] == ' ')
                    ++i;
                m_block.push_back(i - start);
                if (tooDeep(i))
                    return false;
            }
            if (tooDeep(i))
                return false;
        }
        bool valueStart = true; // a collection can open here: "[", "{", "|" and ">" mean something
        while (i < end) {
            const char c = m_bytes[i];
            if (m_quote != 0) {
                if (m_quote == '"' && c == '\\') {
                    i += 2;
                    continue;
                }
                if (c == m_quote) {
                    if (m_quote == '\'' && at(i + 1, end) == '\'') {
                        i += 2;
                        continue;
                    }
                    m_quote = 0;
                    valueStart = false;
                }
                ++i;
                continue;
            }
            if (c == ' ' || c == '\r') {
                ++i;
                continue;
            }
            if (valueStart && (c == '&' || c == '!')) {
                i = skipProperties(i, end);
                continue;
            }
            if (c == '#' && (i == start || isSpace(m_bytes[i - 1])))
                break;
            if (valueStart && (c == '"' || c == '\'')) {
                m_quote = c;
                ++i;
                continue;
            }
            if (valueStart && (c == '[' || c == '{')) {
                ++m_flow;
                if (tooDeep(i))
                    return false;
                ++i;
                continue;
            }
            if (m_flow > 0 && (c == ']' || c == '}')) {
                --m_flow;
                valueStart = false;
                ++i;
                continue;
            }
            if (m_flow == 0 && valueStart && (c == '|' || c == '>')) {
                m_blockScalarIndent = static_cast<int>(m_block.empty() ? 0 : m_block.back());
                return true;
            }
            // After "key: " (or ",", ":" in a flow collection) a new value starts.
            valueStart = (c == ':' && (isSpace(at(i + 1, end)) || m_flow > 0)) || (m_flow > 0 && c == ',');
            ++i;
        }
        return true;
    }

    const QByteArray &m_bytes;
    const LineIndex &m_index;
    DiagnosticReport &m_report;
    const YamlContent &m_content;
    std::vector<qsizetype> m_block;
    int m_flow = 0;
    char m_quote = 0;
    int m_blockScalarIndent = -1;
};

} // namespace

const YamlContent &YamlContent::runbook()
{
    static const YamlContent content { u"runbook"_s,
        u"a runbook starts with `name:`, `trigger:` and `steps:` (see docs/runbook-format.md)"_s, 6, maxRunbookBytes };
    return content;
}

bool prescanYaml(const QByteArray &bytes, const LineIndex &index, DiagnosticReport &report, const YamlContent &content)
{
    if (!checkEncoding(bytes, index, report, content.noun))
        return false;
    if (!checkTabs(bytes, index, report))
        return false;
    return DepthScanner(bytes, index, report, content).run();
}

} // namespace antibody
