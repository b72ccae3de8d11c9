#pragma once

#include "engine/domain/engineevent.h"
#include "models/present/searchwords.h"

#include <QSet>
#include <QSortFilterProxyModel>

namespace antibody {

// A view of the event log: one incident's timeline, or the audit log searched
// and narrowed to some kinds of event.
class EventFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit EventFilter(QObject *parent = nullptr);

    // Only this incident's events; empty: every event.
    void setIncident(const QString &incidentId);
    QString incident() const { return m_incident; }
    // Every word must appear in the event's kind, incident or detail.
    void setSearchText(const QString &text);
    // Only these kinds; empty: every kind.
    void setKinds(const QSet<EngineEvent::Kind> &kinds);

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;

private:
    QString m_incident;
    SearchWords m_words;
    QSet<EngineEvent::Kind> m_kinds;
};

} // namespace antibody
