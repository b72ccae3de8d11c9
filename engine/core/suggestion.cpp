#include "engine/core/suggestion.h"

#include <QList>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// Damerau-Levenshtein (optimal string alignment): a swapped pair of letters,
// the commonest typo, costs one edit.
int editDistance(QStringView a, QStringView b)
{
    const qsizetype n = a.size();
    const qsizetype m = b.size();
    QList<QList<int>> d(n + 1, QList<int>(m + 1, 0));
    for (qsizetype i = 0; i <= n; ++i)
        d[i][0] = static_cast<int>(i);
    for (qsizetype j = 0; j <= m; ++j)
        d[0][j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= n; ++i) {
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = a[i - 1].toLower() == b[j - 1].toLower() ? 0 : 1;
            d[i][j] = std::min({ d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost });
            if (i > 1 && j > 1 && a[i - 1].toLower() == b[j - 2].toLower() && a[i - 2].toLower() == b[j - 1].toLower())
                d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
        }
    }
    return d[n][m];
}

} // namespace

QString closestName(QStringView word, const QStringList &names)
{
    // Long inputs are not typos of short names; the bound also keeps the work small.
    if (word.isEmpty() || word.size() > 64)
        return {};
    QString best;
    int bestDistance = 0;
    for (const QString &name : names) {
        if (name.size() > 64)
            continue;
        const int distance = editDistance(word, name);
        if (best.isEmpty() || distance < bestDistance) {
            best = name;
            bestDistance = distance;
        }
    }
    // Up to a third of the word may be wrong (at least one letter, at most three).
    const int allowed = std::clamp(static_cast<int>(word.size()) / 3, 1, 3);
    return bestDistance <= allowed ? best : QString();
}

QString didYouMean(QStringView word, const QStringList &names)
{
    const QString best = closestName(word, names);
    return best.isEmpty() ? QString() : u" (did you mean '%1'?)"_s.arg(best);
}

} // namespace antibody
