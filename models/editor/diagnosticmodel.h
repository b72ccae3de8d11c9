#pragma once

#include "engine/runbook/diagnostic.h"

#include <QAbstractListModel>
#include <QList>

namespace antibody {

// The validator's findings for the runbook in the editor, errors first then in
// file order, one row each: "12:5  unknown key `acton` in step `kill_idle`". The
// list beside the text shows it; activating a row jumps to its line and column.
class DiagnosticModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles { LineRole = Qt::UserRole, ColumnRole, SeverityRole, CodeRole, HintRole };

    explicit DiagnosticModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void setDiagnostics(QList<Diagnostic> diagnostics);
    const QList<Diagnostic> &diagnostics() const { return m_rows; }
    int errorCount() const;
    int warningCount() const;
    // "2 errors, 1 warning" or "valid".
    QString summary() const;

private:
    QList<Diagnostic> m_rows;
};

} // namespace antibody
