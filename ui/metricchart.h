#pragma once

#include "engine/runbook/measure.h"
#include "models/present/chartplan.h"
#include "ui/chartrange.h"

#include <QList>
#include <QPointF>
#include <QRectF>
#include <QStringList>
#include <QWidget>
#include <memory>

namespace antibody {

// The one adapter between the console and a charting library. Everything that
// plots a metric goes through it, and only its .cpp includes QtCharts, so moving
// to Qt Graphs (QtCharts is deprecated from Qt 6.10) touches one file pair.
//
// Each series owns a fixed-size point buffer: the caller fills buffer(i) and
// calls commit(i), which hands the library what the plot's width can show (at
// most two points per pixel column, see ChartRange::decimate) in one call.
class MetricChart : public QWidget
{
    Q_OBJECT
public:
    // A vertical line at an executed step: "reset_pool #2".
    struct Marker
    {
        double x = 0; // minutes before now, as the points
        QString label;
        bool ok = true;
        QString passOf; // the step, when this marks one of its passes: close passes share one label
    };

    // Rows of marker labels at most, from the top of the plot (MarkerLayout).
    static constexpr int maxMarkerRows = 3;

    explicit MetricChart(QWidget *parent = nullptr);
    ~MetricChart() override;

    void setTitle(const QString &title);
    void setUnit(Measure::Kind unit);
    // Series are created or dropped to match; names show in the legend.
    void setSeriesNames(const QStringList &names);
    int seriesCount() const;
    QList<QPointF> &buffer(int series);
    void commit(int series);
    // Threshold values as the metric reports them (fractions for utilization). A chart of
    // seconds takes the unit its largest threshold reads best in (ChartRange::timeUnitFor).
    void setThresholds(const QList<ChartThreshold> &thresholds);
    // A value as the metric reports it, as this chart draws it: percent, or seconds in the chart's time unit.
    double plotted(double value) const;
    void setMarkers(const QList<Marker> &markers);
    void setRange(const ChartRange &range);
    // A line under the plot, for "no data from the metric source" and the like.
    void setNote(const QString &note);

    const ChartRange &range() const { return m_range; }
    QString title() const;
    QString note() const;
    int markerCount() const;
    // The marker labels shown (close markers stacked or merged, MarkerLayout), left to
    // right, and where they are in the chart's own coordinates.
    QStringList markerLabelTexts() const;
    QList<QRectF> markerLabelRects() const;
    // Points handed to the library for a series: the buffer, decimated to the plot's width.
    int plottedPointCount(int series) const;

protected:
    void changeEvent(QEvent *event) override;

private:
    void applyColours();
    void placeMarkerLabels();
    void colourMarkerLabels();
    void plotAreaChanged();
    void commitAll();

    struct Library;
    std::unique_ptr<Library> d;
    ChartRange m_range;
    Measure::Kind m_unit = Measure::Kind::Plain;
    double m_secondsPerUnit = 1.0; // a chart of seconds drawn in minutes, hours or days
};

} // namespace antibody
