#pragma once

#include <QString>

namespace antibody {

// Text from outside (alert summaries, labels) as one line of a terminal or a log: line
// breaks and tabs become spaces, other control and format characters a visible \xNN,
// so that a newline or an escape sequence in an alert can neither forge a line nor
// drive the terminal.
QString printable(const QString &text);

} // namespace antibody
