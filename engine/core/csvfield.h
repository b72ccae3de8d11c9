#pragma once

#include <QString>

namespace antibody {

// One field of an RFC 4180 CSV line, safe to open in a spreadsheet: quoted when it
// holds a comma, a quote or a line break, and prefixed with ' when it starts with
// = + - @ (or a tab or carriage return), which spreadsheets would run as a formula.
// Both audit exports (the console's and antibodyctl's) write through it.
QString csvField(const QString &value);

} // namespace antibody
