#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

namespace antibody {

// The known name closest to a misspelt one, for "did you mean ...?" in errors
// about configuration keys, runbook fields and action names; empty when nothing
// is close enough to be a plausible typo.
QString closestName(QStringView word, const QStringList &names);

// " (did you mean 'url'?)" or empty: ready to append to an error message.
QString didYouMean(QStringView word, const QStringList &names);

} // namespace antibody
