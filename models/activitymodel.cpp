#include "models/activitymodel.h"

#include "models/present/humantime.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {

ActivityModel::ActivityModel(QObject *parent)
    : QAbstractTableModel(parent)
{
}

int ActivityModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_entries.size());
}

int ActivityModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString ActivityModel::headline(const ActivityEntry &entry) const
{
    if (entry.kind == ActivityEntry::Kind::Healed && entry.notifiedAfter)
        return tr("%1 · on-call notified after").arg(entry.headline);
    return entry.headline;
}

QVariant ActivityModel::data(const QModelIndex &index, int role) const
{
    if (!hasIndex(index.row(), index.column(), index.parent()))
        return {};
    const ActivityEntry &e = m_entries.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case TimeColumn:
            return formatClockTime(e.at);
        case ServiceColumn:
            return e.service;
        case HeadlineColumn:
            return headline(e);
        case DetailColumn:
            return e.detail;
        default:
            return {};
        }
    case Qt::ToolTipRole:
        return e.incidentId.isEmpty() ? e.detail : u"%1: %2"_s.arg(e.incidentId, e.detail);
    case KindRole:
        return static_cast<int>(e.kind);
    case IncidentIdRole:
        return e.incidentId;
    case TimestampRole:
        return toMillis(e.at);
    default:
        return {};
    }
}

QVariant ActivityModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case TimeColumn:
        return tr("Time (UTC)");
    case ServiceColumn:
        return tr("Service");
    case HeadlineColumn:
        return tr("What happened");
    case DetailColumn:
        return tr("Why");
    default:
        return {};
    }
}

void ActivityModel::append(const QList<EngineEvent> &events)
{
    QList<ActivityEntry> fresh; // newest first, like the model
    for (const EngineEvent &event : events) {
        if (event.kind == EngineEvent::Kind::Notified && !event.incidentId.isEmpty()) {
            // The notice after an automatic heal arrives after the heal itself: mark
            // the heal it follows, in this batch or already shown. Other notices are
            // in the incident's timeline.
            auto matches = [&event](const ActivityEntry &e) {
                return e.kind == ActivityEntry::Kind::Healed && e.incidentId == event.incidentId;
            };
            auto inBatch = std::find_if(fresh.begin(), fresh.end(), matches);
            if (inBatch != fresh.end()) {
                inBatch->notifiedAfter = true;
            } else {
                auto shown = std::find_if(m_entries.begin(), m_entries.end(), matches);
                if (shown != m_entries.end() && !shown->notifiedAfter) {
                    shown->notifiedAfter = true;
                    const int row = static_cast<int>(shown - m_entries.begin());
                    Q_EMIT dataChanged(index(row, HeadlineColumn), index(row, HeadlineColumn));
                }
            }
            continue;
        }
        if (auto entry = m_digest.digest(event))
            fresh.prepend(*entry);
    }
    if (fresh.isEmpty())
        return;
    beginInsertRows({}, 0, static_cast<int>(fresh.size()) - 1);
    m_entries = fresh + m_entries;
    endInsertRows();
    trim();
}

void ActivityModel::setLimit(int limit)
{
    m_limit = std::max(1, limit);
    trim();
}

void ActivityModel::trim()
{
    const int excess = static_cast<int>(m_entries.size()) - m_limit;
    if (excess <= 0)
        return;
    const int first = m_limit;
    beginRemoveRows({}, first, first + excess - 1);
    m_entries.resize(m_limit);
    endRemoveRows();
}

} // namespace antibody
