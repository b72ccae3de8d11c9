#pragma once

#include "engine/rehearsal/drillreport.h"

#include <QWidget>

class QLabel;
class QTreeWidget;

namespace antibody {

// A drill's result: pass or fail in large letters with the reason, the scenario
// and what a good run looks like, and the timeline of what the engine did in
// the simulator (virtual time from the scenario's start).
class DrillPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DrillPanel(QWidget *parent = nullptr);

    void showRunning(const QString &runbook, const QString &scenario);
    void showReport(const DrillReport &report);
    void clear();

private:
    QLabel *m_verdict;
    QLabel *m_scenario;
    QLabel *m_failures;
    QTreeWidget *m_timeline;
};

} // namespace antibody
