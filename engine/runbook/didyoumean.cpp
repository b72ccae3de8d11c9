#include "engine/runbook/didyoumean.h"

#include "engine/core/suggestion.h"

using namespace Qt::StringLiterals;

namespace antibody {

QString didYouMeanHint(QStringView word, const QStringList &candidates, const QString &otherwise)
{
    QString match = closestName(word, candidates);
    if (match.isEmpty() && word.size() >= 4 && word.size() <= 64) {
        for (const QString &c : candidates) {
            if (c.startsWith(word, Qt::CaseInsensitive)) {
                match = c;
                break;
            }
        }
    }
    return match.isEmpty() ? otherwise : u"did you mean `%1`?"_s.arg(match);
}

} // namespace antibody
