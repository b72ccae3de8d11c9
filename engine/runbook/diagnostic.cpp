#include "engine/runbook/diagnostic.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {

QString severityText(Diagnostic::Severity s)
{
    return s == Diagnostic::Severity::Error ? u"error"_s : u"warning"_s;
}

bool hasErrors(const QList<Diagnostic> &diagnostics)
{
    return std::any_of(diagnostics.begin(), diagnostics.end(), [](const Diagnostic &d) { return d.isError(); });
}

QString Diagnostic::toString() const
{
    QString where = file;
    if (line > 0)
        where += u':' + QString::number(line) + u':' + QString::number(std::max(column, 1));
    return u"%1: %2[%3]: %4"_s.arg(where, severityText(severity), code, message);
}

} // namespace antibody
