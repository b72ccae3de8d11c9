#include "engine/runbook/yamlnode.h"

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
    if (kind != Kind::Scalar || style == Style::Block || scalar.contains(u'\n'))
        return location;
    const int shift = static_cast<int>(offset) + (style == Style::Quoted ? 1 : 0);
    return SourceLocation { location.line, location.column + shift };
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
