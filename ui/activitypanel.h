#pragma once

#include <QWidget>

class QTableView;

namespace antibody {

class ActivityModel;

// The activity feed: what the engine did while you were not looking, newest
// first. Double-click (or Enter) opens the incident.
class ActivityPanel : public QWidget
{
    Q_OBJECT
public:
    explicit ActivityPanel(ActivityModel *activity, QWidget *parent = nullptr);
    QTableView *table() const { return m_table; }

Q_SIGNALS:
    void openIncident(const QString &id);

private:
    QTableView *m_table;
};

} // namespace antibody
