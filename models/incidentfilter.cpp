#include "models/incidentfilter.h"

#include "engine/domain/incident.h"
#include "models/incidentmodel.h"

namespace antibody {

IncidentFilter::IncidentFilter(QObject *parent)
    : QSortFilterProxyModel(parent)
{
    setSortRole(IncidentModel::SortRole);
    // Live sorting: an incident that starts waiting for approval moves to the top by itself.
    setDynamicSortFilter(true);
}

void IncidentFilter::setSearchText(const QString &text)
{
    if (m_words.set(text))
        invalidateFilter();
}

void IncidentFilter::setScope(Scope scope)
{
    if (scope == m_scope)
        return;
    m_scope = scope;
    invalidateFilter();
}

bool IncidentFilter::filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const
{
    const QModelIndex index = sourceModel()->index(sourceRow, 0, sourceParent);
    if (m_scope != Scope::All) {
        const bool resolved = index.data(IncidentModel::StateRole).toInt() == static_cast<int>(IncidentState::Resolved);
        if (resolved != (m_scope == Scope::Resolved))
            return false;
    }
    if (m_words.isEmpty())
        return true;
    const QString haystack = index.data(IncidentModel::SearchTextRole).toString();
    return m_words.matches(haystack);
}

bool IncidentFilter::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const QVariant a = left.data(IncidentModel::SortRole);
    const QVariant b = right.data(IncidentModel::SortRole);
    const auto order = QVariant::compare(a, b);
    if (order != QPartialOrdering::Equivalent)
        return order == QPartialOrdering::Less;
    // Ties: what waits for a human, then the most severe, then the newest. The
    // tie-break keeps its direction whichever way the column is sorted.
    const bool flip = sortOrder() == Qt::DescendingOrder;
    auto tie = [flip](int x, int y) { return flip ? x > y : x < y; };
    const int attentionA = left.data(IncidentModel::AttentionRole).toInt();
    const int attentionB = right.data(IncidentModel::AttentionRole).toInt();
    if (attentionA != attentionB)
        return tie(attentionA, attentionB);
    const int severityA = left.data(IncidentModel::SeverityRankRole).toInt();
    const int severityB = right.data(IncidentModel::SeverityRankRole).toInt();
    if (severityA != severityB)
        return tie(severityA, severityB);
    const qint64 detectedA = left.data(IncidentModel::DetectedAtRole).toLongLong();
    const qint64 detectedB = right.data(IncidentModel::DetectedAtRole).toLongLong();
    return flip ? detectedA < detectedB : detectedA > detectedB;
}

} // namespace antibody
