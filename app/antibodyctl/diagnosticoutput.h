#pragma once

#include "engine/runbook/diagnostic.h"

#include <QJsonObject>
#include <QList>
#include <QTextStream>

namespace antibody::ctl {

// How `lint` and `policy lint` print what they found, alike: one
// `file:line:col: error|warning[code]: message` line and its hint per problem, or
// {file, line, column, severity, code, message, hint} in JSON.
QJsonObject diagnosticJson(const Diagnostic &d);
void printDiagnostics(const QList<Diagnostic> &diagnostics, QTextStream &out);
void printDiagnosticsJson(const QList<Diagnostic> &diagnostics, QTextStream &out);
// "1 file", "2 errors"
QString plural(qsizetype n, const QString &word);

} // namespace antibody::ctl
