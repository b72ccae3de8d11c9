#include "engine/runbook/diagnosticreport.h"

#include <algorithm>
#include <tuple>

using namespace Qt::StringLiterals;

namespace antibody {

DiagnosticReport::DiagnosticReport(QString file)
    : m_file(std::move(file))
{
}

void DiagnosticReport::add(DiagnosticCode code, SourceLocation at, const QString &message, const QString &hint)
{
    const DiagnosticCodeInfo &info = diagnosticCodeInfo(code);
    add(info.name, info.severity, at, message, hint);
}

void DiagnosticReport::add(
    const QString &code, Diagnostic::Severity severity, SourceLocation at, const QString &message, const QString &hint)
{
    if (m_full)
        return;
    if (m_diagnostics.size() >= maxDiagnostics) {
        m_full = true;
        const DiagnosticCodeInfo &tooMany = diagnosticCodeInfo(DiagnosticCode::TooManyProblems);
        m_diagnostics << Diagnostic { m_file, at.line, at.column, tooMany.severity, tooMany.name,
            u"more than %1 problems; the rest are not listed"_s.arg(maxDiagnostics),
            u"fix these first and lint again"_s };
        return;
    }
    m_diagnostics << Diagnostic { m_file, at.line, at.column, severity, code, message, hint };
}

bool DiagnosticReport::hasErrors() const
{
    return antibody::hasErrors(m_diagnostics);
}

int DiagnosticReport::count(DiagnosticCode code) const
{
    const QString &name = diagnosticCodeInfo(code).name;
    return static_cast<int>(
        std::count_if(m_diagnostics.begin(), m_diagnostics.end(), [&](const Diagnostic &d) { return d.code == name; }));
}

QList<Diagnostic> DiagnosticReport::inFileOrder() const
{
    QList<Diagnostic> diagnostics = m_diagnostics;
    const QString tooMany = diagnosticCodeInfo(DiagnosticCode::TooManyProblems).name;
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [&](const Diagnostic &a, const Diagnostic &b) {
        return std::tuple(a.code == tooMany, a.line, a.column) < std::tuple(b.code == tooMany, b.line, b.column);
    });
    return diagnostics;
}

} // namespace antibody
