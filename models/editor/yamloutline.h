#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace antibody {

// Where the cursor is in a runbook being typed. Read from indentation and the line
// under the cursor, not from a YAML parser: while someone types, the text is
// mostly not valid YAML, and completion must still know where it is.
struct YamlPlace
{
    enum class Kind {
        None, // in a comment, a quoted string, or text the outline cannot place
        Key, // where a mapping key goes
        Value, // after `key:`
    };

    Kind kind = Kind::None;
    // Keys from the root to the mapping the cursor is in; "-" is a list item:
    // a parameter of a step is at ["steps", "-", "params"].
    QStringList path;
    QString key; // Value: whose value it is
    bool inList = false; // Value: an element of a list (`checks: [pool, |`)
    QString prefix; // the part of the word before the cursor
    qsizetype prefixStart = 0; // its offset: completion replaces from here to the cursor
    QStringList presentKeys; // Key: the keys that mapping already has
};

// One step of `steps:`, as far as the text shows it.
struct YamlStepSpan
{
    int firstLine = 0; // 1-based, inclusive; 0 when the cursor is in no step
    int lastLine = 0;
    QString name;
    QString action;
    int actionLine = 0;

    bool isValid() const { return firstLine > 0; }
};

class YamlOutline
{
public:
    explicit YamlOutline(const QString &text);

    YamlPlace placeAt(qsizetype offset) const;
    YamlStepSpan stepAt(qsizetype offset) const;
    // Every step of `steps:`, in order.
    QList<YamlStepSpan> steps() const;

    // Where a `#` comment starts on a line, outside quotes; -1 when there is none.
    static qsizetype commentStart(const QString &line);

private:
    struct Line
    {
        qsizetype start = 0; // offset of the line in the text
        QString text; // without the line break and without a trailing comment
        int indent = 0; // column of the first visible character
        bool blank = true; // nothing but spaces and a comment
        bool item = false; // starts with "- "
        int dash = -1; // column of the "-"
        int keyColumn = 0; // column where a key on this line starts
        QString key; // empty when the line holds no `key:`
        int valueColumn = -1; // column after "key:" and its spaces
        bool opensBlock = false; // `key:` with nothing after it: its value is on the lines below
        bool hadComment = false;
    };

    static Line parse(qsizetype start, const QString &raw);
    // The path of the mapping a key at `column` on line `index` (0-based) belongs to.
    QStringList containerOf(int index, int column) const;
    QStringList keysOfMapping(int index, int column) const;
    int lineOf(qsizetype offset) const;
    YamlPlace flowPlace(const Line &line, int index, int column) const;
    YamlStepSpan spanFrom(int head) const;

    QList<Line> m_lines;
    qsizetype m_size = 0;
};

} // namespace antibody
