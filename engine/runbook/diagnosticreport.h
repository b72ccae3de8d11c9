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
    const QString &file() const { return m_file; }
    const QList<Diagnostic> &diagnostics() const { return m_diagnostics; }
    bool hasErrors() const;
    int count(DiagnosticCode code) const;

private:
    QString m_file;
    QList<Diagnostic> m_diagnostics;
    bool m_full = false;
};

} // namespace antibody
