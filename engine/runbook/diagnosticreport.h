#pragma once

#include "engine/runbook/diagnostic.h"
#include "engine/runbook/diagnosticcode.h"
#include "engine/runbook/runbook.h"

#include <QList>
#include <QString>

namespace antibody {

// Collects the diagnostics of one file. Past 200 it stops collecting and says so: a
// megabyte of garbage must give a readable answer, not a million lines.
class DiagnosticReport
{
public:
    static constexpr int maxDiagnostics = 200;

    explicit DiagnosticReport(QString file);

    void add(DiagnosticCode code, SourceLocation at, const QString &message, const QString &hint = {});
    // A code of another format read with the same helpers (the access policy's `undefined-group`).
    void add(const QString &code, Diagnostic::Severity severity, SourceLocation at, const QString &message,
        const QString &hint = {});
    const QString &file() const { return m_file; }
    const QList<Diagnostic> &diagnostics() const { return m_diagnostics; }
    bool hasErrors() const;
    int count(DiagnosticCode code) const;
    // As an editor's problem list reads: by line and column, "too many problems" last.
    QList<Diagnostic> inFileOrder() const;

private:
    QString m_file;
    QList<Diagnostic> m_diagnostics;
    bool m_full = false;
};

} // namespace antibody
