#include "engine/policy/policyglob.h"

namespace antibody {

bool globMatches(QStringView pattern, QStringView text)
{
    // The classic two-cursor match: on a mismatch, go back to the last `*` and let it
    // swallow one more character. Each `*` restarts at most once per text position.
    qsizetype p = 0;
    qsizetype t = 0;
    qsizetype star = -1; // position in the pattern after the last `*`
    qsizetype starText = 0; // where the text stood when that `*` was met
    while (t < text.size()) {
        if (p < pattern.size() && (pattern[p] == u'?' || (pattern[p] != u'*' && pattern[p] == text[t]))) {
            ++p;
            ++t;
        } else if (p < pattern.size() && pattern[p] == u'*') {
            star = ++p;
            starText = t;
        } else if (star >= 0) {
            p = star;
            t = ++starText;
        } else {
            return false;
        }
    }
    while (p < pattern.size() && pattern[p] == u'*')
        ++p;
    return p == pattern.size();
}

} // namespace antibody
