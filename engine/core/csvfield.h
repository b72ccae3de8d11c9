#pragma once

#include <QString>
#include <QStringList>

namespace antibody {

// One field of an RFC 4180 CSV line, safe to open in a spreadsheet: quoted when it
// holds a comma, a quote or a line break, and prefixed with ' when it starts with
// = + - @ (or a tab or carriage return), which spreadsheets would run as a formula.
QString csvField(const QString &value);

// One CSV record: every field through csvField, comma-separated, without the line
// end. Every CSV writer (antibodyctl's audit export, the console's event-log export)
// writes its lines through here, so none can add a column that skips the guard.
QString csvRecord(const QStringList &fields);

} // namespace antibody
