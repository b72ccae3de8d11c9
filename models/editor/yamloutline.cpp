#include "models/editor/yamloutline.h"

#include "models/editor/textlocator.h"

#include <QRegularExpression>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QString trailingWord(QStringView before)
{
    qsizetype i = before.size();
    while (i > 0 && isRunbookWordChar(before.at(i - 1)))
        --i;
    return before.mid(i).toString();
}

QString unquoted(QString value)
{
    value = value.trimmed();
    if (value.size() >= 2 && (value.front() == u'"' || value.front() == u'\'') && value.back() == value.front())
        return value.mid(1, value.size() - 2);
    return value;
}

} // namespace

qsizetype YamlOutline::commentStart(const QString &line)
{
    QChar quote;
    for (qsizetype i = 0; i < line.size(); ++i) {
        const QChar c = line.at(i);
        if (!quote.isNull()) {
            if (c == quote)
                quote = QChar();
            else if (quote == u'"' && c == u'\\')
                ++i;
        } else if ((c == u'"' || c == u'\'')
            && (i == 0 || line.at(i - 1).isSpace() || u"[{,:"_s.contains(line.at(i - 1)))) {
            quote = c; // quotes quote only at the start of a value: "don't" in plain text does not
        } else if (c == u'#' && (i == 0 || line.at(i - 1).isSpace())) {
            return i;
        }
    }
    return -1;
}

YamlOutline::YamlOutline(const QString &text)
    : m_size(text.size())
{
    qsizetype start = 0;
    while (true) {
        qsizetype end = text.indexOf(u'\n', start);
        const bool last = end < 0;
        if (last)
            end = text.size();
        QString raw = text.mid(start, end - start);
        if (raw.endsWith(u'\r'))
            raw.chop(1);
        m_lines << parse(start, raw);
        if (last)
            break;
        start = end + 1;
    }
}

YamlOutline::Line YamlOutline::parse(qsizetype start, const QString &raw)
{
    static const QRegularExpression keyPattern(
        uR"re(\G(?:"([^"]*)"|'([^']*)'|([A-Za-z_][A-Za-z0-9_.-]*))[ ]*:(?:[ ]+|$))re"_s);
    Line line;
    line.start = start;
    const qsizetype comment = commentStart(raw);
    line.text = comment < 0 ? raw : raw.left(comment);
    line.hadComment = comment >= 0;
    qsizetype i = 0;
    while (i < line.text.size() && line.text.at(i) == u' ')
        ++i;
    line.indent = static_cast<int>(i);
    line.blank = line.text.trimmed().isEmpty();
    if (line.blank)
        return line;
    if (line.text.at(i) == u'-' && (i + 1 == line.text.size() || line.text.at(i + 1) == u' ')) {
        line.item = true;
        line.dash = static_cast<int>(i);
        ++i;
        while (i < line.text.size() && line.text.at(i) == u' ')
            ++i;
    }
    line.keyColumn = static_cast<int>(i);
    const auto m = keyPattern.match(line.text, i);
    if (m.hasMatch()) {
        for (int g = 1; g <= 3; ++g) {
            if (m.capturedStart(g) >= 0)
                line.key = m.captured(g);
        }
        line.valueColumn = static_cast<int>(m.capturedEnd(0));
        line.opensBlock = line.text.mid(line.valueColumn).trimmed().isEmpty();
    }
    return line;
}

int YamlOutline::lineOf(qsizetype offset) const
{
    offset = std::clamp<qsizetype>(offset, 0, m_size);
    const auto after = std::upper_bound(
        m_lines.begin(), m_lines.end(), offset, [](qsizetype o, const Line &l) { return o < l.start; });
    return static_cast<int>(after - m_lines.begin()) - 1;
}

QStringList YamlOutline::containerOf(int index, int column) const
{
    QStringList path;
    int c = column;
    bool afterDash = false; // a compact list (`steps:` then `- name:` at the same column) may follow
    for (int i = index - 1; i >= 0 && (c > 0 || afterDash); --i) {
        const Line &ln = m_lines.at(i);
        if (ln.blank)
            continue;
        if (ln.item) {
            if (ln.dash < c && c <= ln.keyColumn) {
                path.prepend(u"-"_s);
                c = ln.dash;
                afterDash = true;
            } else if (ln.keyColumn < c && !ln.key.isEmpty()) {
                path.prepend(ln.key);
                path.prepend(u"-"_s);
                c = ln.dash;
                afterDash = true;
            } else if (ln.dash < c) {
                c = ln.dash; // a scalar list item shallower than us: its list is our parent
            }
            continue;
        }
        if (ln.indent < c || (afterDash && ln.indent == c && ln.opensBlock)) {
            if (ln.key.isEmpty())
                continue;
            path.prepend(ln.key);
            c = ln.indent;
            afterDash = false;
        }
    }
    return path;
}

QStringList YamlOutline::keysOfMapping(int index, int column) const
{
    QStringList keys;
    for (int i = index - 1; i >= 0; --i) {
        const Line &ln = m_lines.at(i);
        if (ln.blank)
            continue;
        if (ln.item) {
            if (ln.dash >= column)
                continue; // a deeper list
            if (ln.keyColumn == column && !ln.key.isEmpty())
                keys << ln.key; // the first key of our list item
            break;
        }
        if (ln.indent < column)
            break;
        if (ln.indent == column && !ln.key.isEmpty())
            keys << ln.key;
    }
    for (int i = index + 1; i < m_lines.size(); ++i) {
        const Line &ln = m_lines.at(i);
        if (ln.blank)
            continue;
        if (ln.item) {
            if (ln.dash < column)
                break; // the next item of our list, or of an outer one
            continue;
        }
        if (ln.indent < column)
            break;
        if (ln.indent == column && !ln.key.isEmpty())
            keys << ln.key;
    }
    return keys;
}

YamlPlace YamlOutline::placeAt(qsizetype offset) const
{
    offset = std::clamp<qsizetype>(offset, 0, m_size);
    const int index = lineOf(offset);
    const Line &line = m_lines.at(index);
    const int column = static_cast<int>(offset - line.start);
    if (column > line.text.size() || (line.hadComment && column == line.text.size() && !line.text.endsWith(u' ')))
        return {}; // in a comment
    const QString before = line.text.left(column);

    static const QRegularExpression keyArea(uR"re(^( *)(?:(-)( +))?([A-Za-z0-9_-]*)$)re"_s);
    if (const auto m = keyArea.match(before); m.hasMatch()) {
        YamlPlace place;
        place.kind = YamlPlace::Kind::Key;
        place.prefix = m.captured(4);
        place.prefixStart = offset - place.prefix.size();
        const int wordColumn = column - static_cast<int>(place.prefix.size());
        if (m.capturedStart(2) >= 0) {
            place.path = containerOf(index, static_cast<int>(m.capturedStart(2)));
            place.path << u"-"_s;
        } else {
            place.path = containerOf(index, wordColumn);
            place.presentKeys = keysOfMapping(index, wordColumn);
        }
        return place;
    }
    if (!line.key.isEmpty() && line.valueColumn >= 0 && column >= line.valueColumn)
        return flowPlace(line, index, column);
    return {};
}

YamlPlace YamlOutline::flowPlace(const Line &line, int index, int column) const
{
    QStringList base;
    if (line.item) {
        base = containerOf(index, line.dash);
        base << u"-"_s;
    } else {
        base = containerOf(index, line.keyColumn);
    }
    struct Frame
    {
        bool map = true;
        QString owner; // the key (or "-" for a list element) this collection is the value of
        QString key; // map: the key whose value comes next
        bool expectingKey = true;
        QStringList keys; // map: keys seen so far
    };
    QList<Frame> frames;
    QString word;
    const QString value = line.text.mid(line.valueColumn, column - line.valueColumn);
    auto ownerForNext = [&]() {
        if (frames.isEmpty())
            return line.key;
        return frames.back().map ? frames.back().key : u"-"_s;
    };
    for (qsizetype i = 0; i < value.size(); ++i) {
        const QChar c = value.at(i);
        if (c == u'"' || c == u'\'') {
            const qsizetype close = value.indexOf(c, i + 1);
            if (close < 0)
                return {}; // inside a quoted string
            word = value.mid(i + 1, close - i - 1);
            i = close;
            continue;
        }
        if (c == u'{' || c == u'[') {
            frames << Frame { c == u'{', ownerForNext(), {}, true, {} };
            word.clear();
        } else if (c == u'}' || c == u']') {
            if (!frames.isEmpty())
                frames.removeLast();
            word.clear();
        } else if (c == u',') {
            if (!frames.isEmpty() && frames.back().map) {
                frames.back().expectingKey = true;
                frames.back().key.clear();
            }
            word.clear();
        } else if (c == u':' && !frames.isEmpty() && frames.back().map && frames.back().expectingKey
            && (i + 1 == value.size() || value.at(i + 1) == u' ')) {
            frames.back().key = word.trimmed();
            frames.back().keys << frames.back().key;
            frames.back().expectingKey = false;
            word.clear();
        } else if (c == u' ') {
            if (!word.isEmpty())
                word += c;
        } else {
            word += c;
        }
    }
    YamlPlace place;
    place.prefix = trailingWord(value);
    place.prefixStart = line.start + column - place.prefix.size();
    place.path = base;
    if (frames.isEmpty()) {
        place.kind = YamlPlace::Kind::Value;
        place.key = line.key;
        return place;
    }
    for (qsizetype f = 0; f + 1 < frames.size(); ++f)
        place.path << frames.at(f).owner;
    const Frame &top = frames.back();
    if (top.map) {
        place.path << top.owner;
        if (top.expectingKey) {
            place.kind = YamlPlace::Kind::Key;
            place.presentKeys = top.keys;
        } else {
            place.kind = YamlPlace::Kind::Value;
            place.key = top.key;
        }
    } else {
        place.kind = YamlPlace::Kind::Value;
        place.key = top.owner;
        place.inList = true;
    }
    return place;
}

YamlStepSpan YamlOutline::stepAt(qsizetype offset) const
{
    offset = std::clamp<qsizetype>(offset, 0, m_size);
    const int index = lineOf(offset);
    const Line &cursorLine = m_lines.at(index);
    int reach = cursorLine.blank ? static_cast<int>(offset - cursorLine.start) : cursorLine.indent;
    int found = -1;
    for (int i = index; i >= 0; --i) {
        const Line &ln = m_lines.at(i);
        if (ln.blank)
            continue;
        if (ln.item && (i == index || ln.dash < reach)) {
            if (containerOf(i, ln.dash) == QStringList { u"steps"_s }) {
                found = i;
                break;
            }
            reach = ln.dash;
            continue;
        }
        if (!ln.item && ln.indent == 0)
            break; // a top-level key: no step reaches past it
        if (i != index && ln.indent < reach)
            reach = ln.indent;
    }
    return found < 0 ? YamlStepSpan {} : spanFrom(found);
}

QList<YamlStepSpan> YamlOutline::steps() const
{
    // Linear: find `steps:` at the top, then the items at the first item's column.
    QList<YamlStepSpan> out;
    int dash = -1;
    bool inSteps = false;
    for (int i = 0; i < m_lines.size(); ++i) {
        const Line &ln = m_lines.at(i);
        if (ln.blank)
            continue;
        if (!ln.item && ln.indent == 0) {
            inSteps = ln.key == u"steps"_s;
            dash = -1;
            continue;
        }
        if (!inSteps || !ln.item)
            continue;
        if (dash < 0)
            dash = ln.dash;
        if (ln.dash == dash)
            out << spanFrom(i);
    }
    return out;
}

YamlStepSpan YamlOutline::spanFrom(int found) const
{
    const Line &head = m_lines.at(found);
    YamlStepSpan span;
    span.firstLine = found + 1;
    span.lastLine = found + 1;
    for (int j = found; j < m_lines.size(); ++j) {
        const Line &ln = m_lines.at(j);
        if (ln.blank)
            continue;
        if (j > found && (ln.item ? ln.dash : ln.indent) <= head.dash)
            break;
        span.lastLine = j + 1;
        if (ln.keyColumn != head.keyColumn || (ln.item && j > found))
            continue;
        if (ln.key == u"action"_s) {
            span.action = unquoted(ln.text.mid(ln.valueColumn));
            span.actionLine = j + 1;
        } else if (ln.key == u"name"_s) {
            span.name = unquoted(ln.text.mid(ln.valueColumn));
        }
    }
    // A step written as one flow mapping: `- { name: kill, action: terminate_connections }`.
    if (span.action.isEmpty()) {
        static const QRegularExpression flowAction(uR"re([{,]\s*action\s*:\s*["']?([A-Za-z_][A-Za-z0-9_-]*))re"_s);
        static const QRegularExpression flowName(uR"re([{,]\s*name\s*:\s*["']?([A-Za-z_][A-Za-z0-9_-]*))re"_s);
        if (const auto m = flowAction.match(head.text); m.hasMatch()) {
            span.action = m.captured(1);
            span.actionLine = found + 1;
        }
        if (const auto m = flowName.match(head.text); m.hasMatch() && span.name.isEmpty())
            span.name = m.captured(1);
    }
    return span;
}

} // namespace antibody
