#include "engine/runbook/didyoumean.h"

#include <QList>

#include <algorithm>
#include <limits>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// Damerau-Levenshtein (optimal string alignment): a swapped pair of letters is one typo.
int editDistance(const QString &a, const QString &b)
{
    const qsizetype n = a.size();
    const qsizetype m = b.size();
    QList<int> prev2(m + 1), prev(m + 1), cur(m + 1);
    for (qsizetype j = 0; j <= m; ++j)
        prev[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= n; ++i) {
        cur[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= m; ++j) {
            const int cost = a[i - 1] == b[j - 1] ? 0 : 1;
            cur[j] = std::min({ prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + cost });
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                cur[j] = std::min(cur[j], prev2[j - 2] + 1);
        }
        std::swap(prev2, prev);
        std::swap(prev, cur);
    }
    return prev[m];
}

} // namespace

QString closestMatch(QStringView word, const QStringList &candidates)
{
    // Long garbage is never a typo; comparing it would only cost time.
    if (word.isEmpty() || word.size() > 64)
        return {};
    const QString lower = word.toString().toLower();
    QString best;
    int bestDistance = std::numeric_limits<int>::max();
    for (const QString &c : candidates) {
        const int d = editDistance(lower, c.toLower());
        if (d < bestDistance) {
            bestDistance = d;
            best = c;
        }
    }
    // A third of the word may be wrong (at least one letter, at most three).
    const int allowed = std::clamp(static_cast<int>(word.size()) / 3, 1, 3);
    if (bestDistance <= allowed)
        return best;
    // A shortened name is a typo too: `replication_lag` for `replication_lag_seconds`.
    if (word.size() >= 4) {
        for (const QString &c : candidates) {
            if (c.startsWith(lower, Qt::CaseInsensitive))
                return c;
        }
    }
    return {};
}

QString didYouMean(QStringView word, const QStringList &candidates, const QString &otherwise)
{
    const QString match = closestMatch(word, candidates);
    return match.isEmpty() ? otherwise : u"did you mean `%1`?"_s.arg(match);
}

} // namespace antibody
