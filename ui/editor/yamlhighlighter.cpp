#include "ui/editor/yamlhighlighter.h"

#include "engine/runbook/actioncatalog.h"
#include "models/editor/yamloutline.h"
#include "ui/consolepalette.h"

#include <QApplication>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace antibody {

YamlHighlighter::YamlHighlighter(QTextDocument *document)
    : QSyntaxHighlighter(document)
{
    setupFormats();
}

void YamlHighlighter::setupFormats()
{
    const ConsolePalette colours = ConsolePalette::from(QApplication::palette());
    const bool dark = colours.dark;
    m_key.setForeground(dark ? QColor(0x8a, 0xb4, 0xf8) : QColor(0x1a, 0x4f, 0xa0));
    m_key.setFontWeight(QFont::DemiBold);
    m_dash.setForeground(colours.muted);
    m_dash.setFontWeight(QFont::Bold);
    m_string.setForeground(dark ? QColor(0xa5, 0xd6, 0xa7) : QColor(0x2e, 0x6b, 0x30));
    m_number.setForeground(dark ? QColor(0xf4, 0xb4, 0x8a) : QColor(0x9c, 0x4a, 0x00));
    m_keyword.setForeground(dark ? QColor(0xce, 0x93, 0xd8) : QColor(0x7b, 0x1f, 0xa2));
    m_comment.setForeground(colours.muted);
    m_comment.setFontItalic(true);
    m_safeAction.setForeground(colours.ok);
    m_safeAction.setFontWeight(QFont::Bold);
    m_approveAction.setForeground(colours.waiting);
    m_approveAction.setFontWeight(QFont::Bold);
    m_neverAction.setForeground(colours.blocked);
    m_neverAction.setFontWeight(QFont::Bold);
}

void YamlHighlighter::highlightBlock(const QString &text)
{
    static const QRegularExpression key(uR"re(^(\s*)(-\s+)?((?:"[^"]*"|'[^']*'|[A-Za-z_][\w.-]*))\s*:(?=\s|$))re"_s);
    static const QRegularExpression dash(uR"re(^\s*(-)(?=\s|$))re"_s);
    static const QRegularExpression flowKey(uR"re([{,]\s*([A-Za-z_][\w.-]*)\s*:(?=\s))re"_s);
    static const QRegularExpression number(uR"re((?<![\w.%-])[-+]?\d+(?:\.\d+)?(?:ms|s|m|h|d|%)?(?![\w.%-]))re"_s);
    static const QRegularExpression keyword(uR"re(\b(?:true|false|yes|no|null|and|or|not)\b)re"_s);
    static const QRegularExpression string(uR"re("(?:[^"\\]|\\.)*"?|'[^']*'?)re"_s);
    static const QRegularExpression action(uR"re(\baction\s*:\s*["']?([A-Za-z_][\w-]*))re"_s);

    qsizetype code = YamlOutline::commentStart(text);
    if (code < 0)
        code = text.size();
    const QString body = text.left(code);
    for (auto it = number.globalMatch(body); it.hasNext();) {
        const auto m = it.next();
        setFormat(static_cast<int>(m.capturedStart()), static_cast<int>(m.capturedLength()), m_number);
    }
    for (auto it = keyword.globalMatch(body); it.hasNext();) {
        const auto m = it.next();
        setFormat(static_cast<int>(m.capturedStart()), static_cast<int>(m.capturedLength()), m_keyword);
    }
    for (auto it = string.globalMatch(body); it.hasNext();) {
        const auto m = it.next();
        setFormat(static_cast<int>(m.capturedStart()), static_cast<int>(m.capturedLength()), m_string);
    }
    if (const auto m = dash.match(body); m.hasMatch())
        setFormat(static_cast<int>(m.capturedStart(1)), 1, m_dash);
    if (const auto m = key.match(body); m.hasMatch())
        setFormat(static_cast<int>(m.capturedStart(3)), static_cast<int>(m.capturedLength(3)), m_key);
    for (auto it = flowKey.globalMatch(body); it.hasNext();) {
        const auto m = it.next();
        setFormat(static_cast<int>(m.capturedStart(1)), static_cast<int>(m.capturedLength(1)), m_key);
    }
    for (auto it = action.globalMatch(body); it.hasNext();) {
        const auto m = it.next();
        if (const ActionSpec *spec = ActionCatalog::instance().find(m.captured(1))) {
            const QTextCharFormat &f = spec->tier == Tier::Safe ? m_safeAction
                : spec->tier == Tier::Approve                   ? m_approveAction
                                                                : m_neverAction;
            setFormat(static_cast<int>(m.capturedStart(1)), static_cast<int>(m.capturedLength(1)), f);
        }
    }
    if (code < text.size())
        setFormat(static_cast<int>(code), static_cast<int>(text.size() - code), m_comment);
}

} // namespace antibody
