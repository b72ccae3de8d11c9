#include "models/eventlogmodel.h"

#include "engine/pipeline/incidentid.h"

using namespace Qt::StringLiterals;

namespace antibody {

EventLogModel::EventLogModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int EventLogModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_events.size());
}

int EventLogModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant EventLogModel::data(const QModelIndex &index, int role) const
{
    if (!hasIndex(index.row(), index.column(), index.parent()))
        return {};
    const EngineEvent &e = m_events.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return formatTime(e.at).mid(11, 8); // HH:MM:SS: the date is in the tooltip
        case KindColumn:
            return e.kindName();
        case IncidentColumn:
            return IncidentId::shortForm(e.incidentId); // the full id is in the tooltip
        case DetailColumn:
            return e.detail;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return index.column() == IncidentColumn ? e.incidentId : formatTime(e.at);
    case EventKindRole:
        return static_cast<int>(e.kind);
    case TimestampRole:
        return toMillis(e.at);
    case IncidentIdRole:
        return e.incidentId;
    default:
        return {};
    }
}

QVariant EventLogModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time");
    case KindColumn:
        return tr("Event");
    case IncidentColumn:
        return tr("Incident");
    case DetailColumn:
        return tr("Detail");
    default:
        return {};
    }
}

void EventLogModel::setLimit(int limit)
{
    m_limit = std::max(1, limit);
    trim();
}

void EventLogModel::append(const QList<EngineEvent> &events)
{
    if (events.isEmpty())
        return;
    const int first = static_cast<int>(m_events.size());
    beginInsertRows({}, first, first + static_cast<int>(events.size()) - 1);
    m_events << events;
    endInsertRows();
    trim();
}

void EventLogModel::trim()
{
    const int excess = static_cast<int>(m_events.size()) - m_limit;
    if (excess <= 0)
        return;
    beginRemoveRows({}, 0, excess - 1);
    m_events.remove(0, excess);
    endRemoveRows();
}

} // namespace antibody
