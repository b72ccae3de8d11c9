#pragma once

// Finding one diagnostic among a file's, and showing all of them when it is not there:
// the suites of the runbook loader and of the access policy read their answers alike.
#include "engine/runbook/diagnostic.h"

#include <QList>
#include <QStringList>

namespace antibody::test {

inline const Diagnostic *findDiagnostic(const QList<Diagnostic> &diagnostics, const QString &code)
{
    for (const Diagnostic &d : diagnostics) {
        if (d.code == code)
            return &d;
    }
    return nullptr;
}

// One diagnostic a line, with its hint: for a failure message.
inline QString dumpDiagnostics(const QList<Diagnostic> &diagnostics)
{
    QStringList out;
    for (const Diagnostic &d : diagnostics)
        out << d.toString() + (d.hint.isEmpty() ? QString() : QStringLiteral("; ") + d.hint);
    return out.join(u'\n');
}

} // namespace antibody::test
