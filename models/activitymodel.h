#pragma once

#include "models/present/activitydigest.h"

#include <QAbstractTableModel>
#include <QList>

namespace antibody {

// The activity feed, newest first: auto-heals ("healed, notified after"),
// approvals, escalations, pages, breakers.
class ActivityModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns { TimeColumn, ServiceColumn, HeadlineColumn, DetailColumn, ColumnCount };
    enum Roles { KindRole = Qt::UserRole, IncidentIdRole, TimestampRole };

    explicit ActivityModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    void noteIncident(const antibody::Incident &incident) { m_digest.noteIncident(incident); }
    // A batch of engine events, oldest first, as the engine published them.
    void append(const QList<antibody::EngineEvent> &events);
    void setLimit(int limit);
    const ActivityEntry &entryAt(int row) const { return m_entries.at(row); }

private:
    QString headline(const ActivityEntry &entry) const;
    void trim();

    ActivityDigest m_digest;
    QList<ActivityEntry> m_entries; // newest first
    int m_limit = 5'000;
};

} // namespace antibody
