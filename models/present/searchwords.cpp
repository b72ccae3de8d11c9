#include "models/present/searchwords.h"

namespace antibody {

bool SearchWords::set(const QString &text)
{
    QStringList words = text.toLower().split(u' ', Qt::SkipEmptyParts);
    if (words == m_words)
        return false;
    m_words = std::move(words);
    return true;
}

bool SearchWords::matches(const QString &haystack) const
{
    for (const QString &word : m_words) {
        if (!haystack.contains(word))
            return false;
    }
    return true;
}

} // namespace antibody
