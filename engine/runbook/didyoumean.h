#pragma once

#include <QString>
#include <QStringList>

namespace antibody {

// A diagnostic's hint for a misspelled word: "did you mean `action`?" when a candidate
// is close (engine/core/suggestion.h decides what is close, or the word is a shortened
// candidate: `replication_lag` for `replication_lag_seconds`), else `otherwise`.
QString didYouMeanHint(QStringView word, const QStringList &candidates, const QString &otherwise = {});

} // namespace antibody
