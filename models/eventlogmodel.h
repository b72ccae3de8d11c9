#pragma once

#include "engine/domain/engineevent.h"

#include <QAbstractTableModel>
#include <QList>

namespace antibody {

// The engine's events as a table, newest last: the activity feed and the
// timeline views read it.
class EventLogModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { TimeColumn, KindColumn, IncidentColumn, DetailColumn, ColumnCount };
    enum Roles { EventKindRole = Qt::UserRole, TimestampRole, IncidentIdRole };

    explicit EventLogModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Keeps at most `limit` rows: the oldest are dropped first.
    void setLimit(int limit);
    void append(const QList<antibody::EngineEvent> &events);
    const EngineEvent &event(int row) const { return m_events.at(row); }

private:
    void trim();

    QList<EngineEvent> m_events;
    int m_limit = 100'000;
};

} // namespace antibody
