#pragma once

#include <QString>
#include <QStringList>

namespace antibody {

// What a search box holds: words that must all appear, in any order, ignoring
// case. Plain substrings, never patterns, so nothing typed can be a bad regex.
class SearchWords
{
public:
    // Returns true when the words changed (the filter must run again).
    bool set(const QString &text);
    bool isEmpty() const { return m_words.isEmpty(); }
    QString text() const { return m_words.join(u' '); }
    // `haystack` must already be lower case.
    bool matches(const QString &haystack) const;

private:
    QStringList m_words;
};

} // namespace antibody
