#pragma once

#include "models/present/mttrstats.h"

#include <QAbstractTableModel>

namespace antibody {

class IncidentModel;

// The MTTR dashboard: one row per automation level, against the seed's baseline.
// It follows an IncidentModel and re-reads only the incidents that changed.
class MttrModel : public QAbstractTableModel
{
    Q_OBJECT
public:
    enum Columns {
        LevelColumn,
        ResolvedColumn,
        OpenColumn,
        MedianColumn,
        MeanColumn,
        SlowestColumn,
        BaselineColumn,
        ChartColumn, // no text: the view draws the median against the baseline here
        VerdictColumn,
        ColumnCount
    };
    enum Roles { LevelRole = Qt::UserRole, MedianRole, TypicalRole, TargetRole, OnParRole };

    explicit MttrModel(IncidentModel *incidents, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    const MttrStats &stats() const { return m_stats; }
    // "Median 2m 40s over 12 resolved incidents · manual baseline ≈ 28 min"
    QString summary() const;

Q_SIGNALS:
    void summaryChanged();

private:
    void onIncidentsUpdated(const QStringList &ids);
    QString verdict(const MttrStats::Level &level) const;

    IncidentModel *m_incidents;
    MttrStats m_stats;
};

} // namespace antibody
