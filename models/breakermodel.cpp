#include "models/breakermodel.h"

#include "models/present/humantime.h"

using namespace Qt::StringLiterals;

namespace antibody {

BreakerModel::BreakerModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int BreakerModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int BreakerModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString BreakerModel::failuresText(const BreakerState &breaker) const
{
    const int count = static_cast<int>(breaker.failures.size());
    const auto policy = m_policies.constFind(breaker.type);
    if (policy == m_policies.constEnd())
        return QString::number(count);
    return tr("%1 of %2 in %3").arg(count).arg(policy->failures).arg(formatDuration(policy->window));
}

QVariant BreakerModel::data(const QModelIndex &index, int role) const
{
    if (!hasIndex(index.row(), index.column(), index.parent()))
        return {};
    const BreakerState &b = m_rows.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TypeColumn:
            return b.type;
        case StateColumn:
            return breakerStateText(b.state);
        case FailuresColumn:
            return failuresText(b);
        case OpenedColumn:
            if (!b.openedAt || b.state == BreakerState::State::Closed)
                return QString();
            return tr("%1 (%2 ago)").arg(formatClockTime(*b.openedAt), formatAge(m_now - *b.openedAt));
        case ReasonColumn:
            return b.lastReason;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        if (index.column() == StateColumn && b.state != BreakerState::State::Closed)
            return tr("Automation for %1 is halted; a human was paged. Reset only once the cause is understood.")
                .arg(b.type);
        return b.lastReason.isEmpty() ? QVariant() : QVariant(b.lastReason);
    case TypeRole:
        return b.type;
    case StateRole:
        return static_cast<int>(b.state);
    case FailureCountRole:
        return static_cast<int>(b.failures.size());
    default:
        return {};
    }
}

QVariant BreakerModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TypeColumn:
        return tr("Remediation");
    case StateColumn:
        return tr("State");
    case FailuresColumn:
        return tr("Failures in window");
    case OpenedColumn:
        return tr("Opened");
    case ReasonColumn:
        return tr("Last reason");
    default:
        return {};
    }
}

int BreakerModel::rowOf(const QString &type) const
{
    for (int row = 0; row < m_rows.size(); ++row) {
        if (m_rows.at(row).type == type)
            return row;
    }
    return -1;
}

int BreakerModel::openCount() const
{
    return static_cast<int>(std::count_if(
        m_rows.cbegin(), m_rows.cend(), [](const BreakerState &b) { return b.state != BreakerState::State::Closed; }));
}

void BreakerModel::upsert(const BreakerState &breaker)
{
    const int row = rowOf(breaker.type);
    if (row >= 0) {
        m_rows[row] = breaker;
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
        return;
    }
    const int first = rowCount();
    beginInsertRows({}, first, first);
    m_rows << breaker;
    endInsertRows();
}

void BreakerModel::setPolicies(const QHash<QString, BreakerSpec> &policies)
{
    m_policies = policies;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, FailuresColumn), index(rowCount() - 1, FailuresColumn), { Qt::DisplayRole });
}

void BreakerModel::setNow(TimePoint now)
{
    m_now = now;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, OpenedColumn), index(rowCount() - 1, OpenedColumn), { Qt::DisplayRole });
}

} // namespace antibody
