#pragma once

#include "engine/ports/store.h"
#include "engine/runbook/runbook.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace antibody {

// One circuit breaker per remediation type (a runbook): its state, the failures
// counted in its window, and why it last changed.
class BreakerModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { TypeColumn, StateColumn, FailuresColumn, OpenedColumn, ReasonColumn, ColumnCount };
    enum Roles { TypeRole = Qt::UserRole, StateRole, FailureCountRole };

    explicit BreakerModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void upsert(const antibody::BreakerState &breaker);
    // Each runbook's breaker policy, so the failures read "2 of 3 in 10m".
    void setPolicies(const QHash<QString, BreakerSpec> &policies);
    void setNow(TimePoint now);

    const BreakerState &breakerAt(int row) const { return m_rows.at(row); }
    int rowOf(const QString &type) const;
    int openCount() const;

private:
    QString failuresText(const BreakerState &breaker) const;

    QList<BreakerState> m_rows;
    QHash<QString, BreakerSpec> m_policies;
    TimePoint m_now;
};

} // namespace antibody
