#include "models/editor/diagnosticmodel.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {

DiagnosticModel::DiagnosticModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int DiagnosticModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

QVariant DiagnosticModel::data(const QModelIndex &index, int role) const
{
    if (!hasIndex(index.row(), index.column(), index.parent()))
        return {};
    const Diagnostic &d = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole: {
        // The hint on a second line: what to do is as visible as what is wrong.
        QString text = d.line > 0 ? u"%1:%2  %3"_s.arg(d.line).arg(d.column).arg(d.message) : d.message;
        if (!d.hint.isEmpty())
            text += u"\n      "_s + d.hint;
        return text;
    }
    case Qt::ToolTipRole:
        return u"%1[%2] %3%4"_s.arg(
            severityText(d.severity), d.code, d.message, d.hint.isEmpty() ? QString() : u"\n"_s + d.hint);
    case LineRole:
        return d.line;
    case ColumnRole:
        return d.column;
    case SeverityRole:
        return static_cast<int>(d.severity);
    case CodeRole:
        return d.code;
    case HintRole:
        return d.hint;
    default:
        return {};
    }
}

void DiagnosticModel::setDiagnostics(QList<Diagnostic> diagnostics)
{
    // Errors first (they stop the runbook from going live), then file order.
    std::stable_sort(diagnostics.begin(), diagnostics.end(), [](const Diagnostic &a, const Diagnostic &b) {
        if (a.isError() != b.isError())
            return a.isError();
        return std::pair(a.line, a.column) < std::pair(b.line, b.column);
    });
    beginResetModel();
    m_rows = std::move(diagnostics);
    endResetModel();
}

int DiagnosticModel::errorCount() const
{
    return static_cast<int>(
        std::count_if(m_rows.begin(), m_rows.end(), [](const Diagnostic &d) { return d.isError(); }));
}

int DiagnosticModel::warningCount() const
{
    return static_cast<int>(m_rows.size()) - errorCount();
}

QString DiagnosticModel::summary() const
{
    const int errors = errorCount();
    const int warnings = warningCount();
    if (errors == 0 && warnings == 0)
        return tr("valid");
    QStringList parts;
    if (errors > 0)
        parts << (errors == 1 ? tr("1 error") : tr("%1 errors").arg(errors));
    if (warnings > 0)
        parts << (warnings == 1 ? tr("1 warning") : tr("%1 warnings").arg(warnings));
    return parts.join(u", "_s);
}

} // namespace antibody
