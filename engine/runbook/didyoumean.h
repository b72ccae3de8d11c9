#pragma once

#include <QString>
#include <QStringList>

namespace antibody {

// The candidate closest to a misspelled word by edit distance, or an empty string when
// none is close enough to be a plausible typo ("acton" -> "action", "xyz" -> nothing).
QString closestMatch(QStringView word, const QStringList &candidates);

// "did you mean `action`?" or, with no close candidate, `otherwise`.
QString didYouMean(QStringView word, const QStringList &candidates, const QString &otherwise = {});

} // namespace antibody
