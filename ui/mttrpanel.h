#pragma once

#include <QWidget>

class QLabel;
class QTableView;

namespace antibody {

class IncidentFilter;
class IncidentModel;
class MttrModel;

// The MTTR dashboard: per automation level against the seed's baselines (a bar
// per level with the baseline marked), and every resolved incident's time.
class MttrPanel : public QWidget
{
    Q_OBJECT
public:
    MttrPanel(MttrModel *mttr, IncidentModel *incidents, QWidget *parent = nullptr);

Q_SIGNALS:
    void openIncident(const QString &id);

private:
    MttrModel *m_mttr;
    QLabel *m_summary;
    QTableView *m_levels;
    IncidentFilter *m_resolved;
    QTableView *m_incidents;
};

} // namespace antibody
