#pragma once

#include "engine/domain/incident.h"
#include "models/link/coalescingtimer.h"

#include <QAbstractTableModel>
#include <QHash>
#include <QList>

namespace antibody {

// Every incident the engine has reported, one row each, in the order they were
// first seen (the filter proxy sorts). Updates arrive at the engine's pace and are
// applied in coalesced batches so that a storm of changes costs one repaint.
class IncidentModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns {
        SeverityColumn,
        ServiceColumn,
        TitleColumn,
        RunbookColumn,
        StateColumn,
        LevelColumn,
        AgeColumn,
        ResolvedInColumn,
        ColumnCount
    };
    enum Roles {
        IncidentIdRole = Qt::UserRole,
        SortRole, // a value that sorts the column the way a human expects (severity by urgency...)
        SeverityRankRole, // int: 0 critical ... 5 unknown
        StateRole, // int: IncidentState
        AttentionRole, // int: 0 waits for a human ... higher is calmer
        LevelRole, // int
        DetectedAtRole, // qint64 ms
        ResolvedInRole, // qint64 ms, or invalid while unresolved
        SearchTextRole, // lowercase text the search box matches against
        NotYoursRole, // QString: why this console's person may not approve its plan; empty: they may
    };

    explicit IncidentModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Queues the incident; the change shows at the next flush (at most ~250 ms later).
    void upsert(const antibody::Incident &incident);
    // Applies every queued change now.
    void flush();
    // Why this console's person may not approve the incident's waiting plan (a team
    // server's policy); empty: they may. Such an incident sorts after those they may approve.
    void setNotYours(const QString &incidentId, const QString &reason);
    // The engine's "now", for the age column (virtual time in the demo).
    void setNow(TimePoint now);
    TimePoint now() const { return m_now; }

    const Incident *incident(const QString &id) const;
    int rowOf(const QString &id) const { return m_rowById.value(id, -1); }
    const Incident &incidentAt(int row) const { return m_rows.at(row).incident; }

    // 0 waits for a human (approval, escalation), then running, then quiet, resolved last.
    static int attentionRank(IncidentState state);
    static QString levelText(int level);

Q_SIGNALS:
    // After a flush: the incidents whose rows were added or changed.
    void incidentsUpdated(const QStringList &ids);

private:
    struct Row
    {
        Incident incident;
        QString searchText;
    };
    static Row makeRow(const Incident &incident);
    QVariant display(const Incident &incident, int column) const;
    QVariant sortKey(const Incident &incident, int column) const;
    // attentionRank, with a plan that waits for someone else just after those that wait for you.
    int attention(const Incident &incident) const;

    QList<Row> m_rows;
    QHash<QString, int> m_rowById;
    QList<Incident> m_pending;
    QHash<QString, qsizetype> m_pendingById;
    CoalescingTimer m_coalescer;
    TimePoint m_now;
    QHash<QString, QString> m_notYours;
};

} // namespace antibody
