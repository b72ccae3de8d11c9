#pragma once

#include <QStringView>

namespace antibody {

// Whether `text` matches the glob `pattern` as a whole: `*` is any run of characters
// (none included), `?` one character, everything else itself, case included. No
// character classes and never a regular expression from the policy file: a pattern
// means what it shows, and matching takes time proportional to the pattern times the
// text at worst, whatever either holds.
bool globMatches(QStringView pattern, QStringView text);

} // namespace antibody
