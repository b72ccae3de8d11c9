#pragma once

#include <QList>
#include <QString>

namespace antibody {

// One problem found in a runbook: where it is, how bad, a stable code (documented in
// docs/runbook-format.md) and what to do about it. `antibodyctl lint`, the console's
// editor and hot reload all show these.
struct Diagnostic
{
    enum class Severity { Error, Warning };

    QString file;
    int line = 0; // 1-based; 0 when the problem is the whole file
    int column = 0; // 1-based, in characters
    Severity severity = Severity::Error;
    QString code;
    QString message;
    QString hint;

    bool isError() const { return severity == Severity::Error; }
    // "runbooks/x.yaml:12:5: error[unknown-key]: unknown key `acton` in step `kill_idle`"
    QString toString() const;
};

QString severityText(Diagnostic::Severity s);
bool hasErrors(const QList<Diagnostic> &diagnostics);

} // namespace antibody
