#include "engine/runbook/yamlnode.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {

const YamlNode::Entry *YamlNode::entry(QStringView key) const
{
    for (const Entry &e : entries) {
        if (e.key == key)
            return duplicateKeys.contains(e.key) ? nullptr : &e;
    }
    return nullptr;
}

const YamlNode *YamlNode::value(QStringView key) const
{
    const Entry *e = entry(key);
    return e ? e->value.get() : nullptr;
}

bool YamlNode::has(QStringView key) const
{
    for (const Entry &e : entries) {
        if (e.key == key)
            return true;
    }
    return false;
}

SourceLocation YamlNode::at(qsizetype offset) const
{
    // A folded scalar has no '\n' in its text but several lines in the file: only the
    // loader, which saw the bytes, knows that the text lies on one line.
    if (kind != Kind::Scalar || oneLineText.line == 0)
        return location;
    // Columns count characters: a surrogate pair is one.
    const QStringView before = QStringView(scalar).left(std::clamp<qsizetype>(offset, 0, scalar.size()));
    const auto pairs = std::count_if(before.begin(), before.end(), [](QChar c) { return c.isLowSurrogate(); });
    const int shift = static_cast<int>(before.size() - pairs) + (style == Style::Quoted ? 1 : 0);
    return SourceLocation { oneLineText.line, oneLineText.column + shift };
}

QString YamlNode::describe() const
{
    switch (kind) {
    case Kind::Null:
        return u"nothing"_s;
    case Kind::Scalar:
        return scalar.size() > 40 ? u"text `%1...`"_s.arg(scalar.left(40)) : u"text `%1`"_s.arg(scalar);
    case Kind::Sequence:
        return u"a list"_s;
    case Kind::Map:
        return u"a mapping"_s;
    }
    return {};
}

} // namespace antibody
