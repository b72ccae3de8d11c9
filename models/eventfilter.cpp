#include "models/eventfilter.h"

#include "models/eventlogmodel.h"

namespace antibody {

EventFilter::EventFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
}

void EventFilter::setIncident(const QString &incidentId)
{
    if (incidentId == m_incident)
        return;
    m_incident = incidentId;
    invalidateFilter();
}

void EventFilter::setSearchText(const QString &text)
{
    if (m_words.set(text))
        invalidateFilter();
}

void EventFilter::setKinds(const QSet<EngineEvent::Kind> &kinds)
{
    if (kinds == m_kinds)
        return;
    m_kinds = kinds;
    invalidateFilter();
}

bool EventFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QAbstractItemModel *source = sourceModel();
    const QModelIndex first = source->index(sourceRow, 0, sourceParent);
    if (!m_incident.isEmpty() && first.data(EventLogModel::IncidentIdRole).toString() != m_incident)
        return false;
    if (!m_kinds.isEmpty()
        && !m_kinds.contains(static_cast<EngineEvent::Kind>(first.data(EventLogModel::EventKindRole).toInt())))
        return false;
    if (m_words.isEmpty())
        return true;
    const QString haystack = (source->index(sourceRow, EventLogModel::KindColumn, sourceParent).data().toString() + u' '
        + first.data(EventLogModel::IncidentIdRole).toString() + u' '
        + source->index(sourceRow, EventLogModel::DetailColumn, sourceParent).data().toString())
                                 .toLower();
    return m_words.matches(haystack);
}

} // namespace antibody
