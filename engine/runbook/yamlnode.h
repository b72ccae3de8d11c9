#pragma once

#include "engine/runbook/runbook.h"

#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <memory>

namespace antibody {

// The loader's own YAML tree, built from yaml-cpp's events rather than YAML::Node so
// that every node keeps its position and a duplicated key is seen instead of one value
// silently winning. Aliases share the anchored node (the tree is a DAG), so an alias
// bomb costs one node per alias, not an exponential copy.
struct YamlNode
{
    enum class Kind { Null, Scalar, Sequence, Map };
    enum class Style { Plain, Quoted, Block }; // how a scalar is written: columns inside it depend on it

    struct Entry
    {
        QString key;
        SourceLocation keyLocation;
        std::shared_ptr<YamlNode> value;
    };

    Kind kind = Kind::Null;
    Style style = Style::Plain;
    QString scalar;
    SourceLocation location;
    // A plain or quoted scalar written on one line: where its text starts (after any anchor
    // or tag, at the opening quote). Line 0 when the text spans lines or is a block scalar.
    SourceLocation oneLineText;
    QList<std::shared_ptr<YamlNode>> items; // Sequence
    QList<Entry> entries; // Map, in file order, duplicates included
    QSet<QString> duplicateKeys; // keys given more than once: they have no value

    bool isNull() const { return kind == Kind::Null; }
    bool isScalar() const { return kind == Kind::Scalar; }
    bool isSequence() const { return kind == Kind::Sequence; }
    bool isMap() const { return kind == Kind::Map; }

    // The value of a key; nullptr when absent or duplicated (neither value wins).
    const YamlNode *value(QStringView key) const;
    const Entry *entry(QStringView key) const;
    // Present, even if duplicated: "missing key" must not be reported for it.
    bool has(QStringView key) const;
    bool isDuplicate(const QString &key) const { return duplicateKeys.contains(key); }
    // Where the character at `offset` (in UTF-16 units) inside this scalar's text is: exact
    // for plain one-line scalars, on the right line for quoted ones (escapes are shorter
    // than what they write), the scalar's start otherwise.
    SourceLocation at(qsizetype offset) const;
    // "a mapping", "a list", "text `abc`", "nothing": for "expected X, found Y" messages.
    QString describe() const;
};

} // namespace antibody
