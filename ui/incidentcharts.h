#pragma once

#include "engine/domain/engineevent.h"
#include "engine/domain/incident.h"
#include "engine/runbook/runbook.h"
#include "models/link/metricreader.h"
#include "models/present/chartplan.h"

#include <QList>
#include <QTimer>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace antibody {

class MetricChart;

// The live charts of one incident: the metrics that explain it, with the lines
// it crossed and must get back under, and a marker for each executed step, so
// that verification is visible as the line falling below the goal. Reads the
// last 15 minutes once a second while shown.
class IncidentCharts : public QWidget
{
    Q_OBJECT
public:
    static constexpr Duration span { 15 * 60'000 };
    static constexpr Duration step { 5'000 };
    static constexpr int maxSeriesPerChart = 6;

    explicit IncidentCharts(MetricReader *reader, QWidget *parent = nullptr);

    void setIncident(const Incident &incident, const Runbook *runbook);
    void setEvents(const QList<EngineEvent> &events);
    // Reads the metrics now (the timer does it every second while visible).
    void refresh();
    // Applies a window of data (what refresh() does when the answer arrives).
    void apply(const MetricReader::Window &window);

    QList<MetricChart *> charts() const { return m_charts; }

    // A step executed, as a chart marker at its time: "kill_idle #2", "verify_recovery ✓".
    struct StepMark
    {
        TimePoint at;
        QString label;
        bool ok = true;
        QString passOf; // set for a pass: passes close together share one label
    };
    static QList<StepMark> stepMarks(const QList<EngineEvent> &events);

protected:
    void showEvent(QShowEvent *event) override;
    void hideEvent(QHideEvent *event) override;

private:
    MetricReader *m_reader;
    QList<ChartSpec> m_specs;
    QList<MetricChart *> m_charts;
    QList<EngineEvent> m_events;
    QVBoxLayout *m_layout;
    QLabel *m_empty;
    QTimer m_timer;
    QString m_incidentId;
};

} // namespace antibody
