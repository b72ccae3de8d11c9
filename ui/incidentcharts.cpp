#include "ui/incidentcharts.h"

#include "engine/domain/outcome.h"
#include "ui/metricchart.h"

#include <QLabel>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {

IncidentCharts::IncidentCharts(MetricReader *reader, QWidget *parent)
    : QWidget(parent)
    , m_reader(reader)
    , m_layout(new QVBoxLayout(this))
    , m_empty(new QLabel(this))
{
    m_empty->setObjectName(u"noCharts"_s);
    m_empty->setWordWrap(true);
    m_empty->setAlignment(Qt::AlignCenter);
    m_empty->setText(tr("Select an incident to see its metrics."));
    m_layout->addWidget(m_empty);
    m_timer.setInterval(1000);
    connect(&m_timer, &QTimer::timeout, this, &IncidentCharts::refresh);
}

void IncidentCharts::setIncident(const Incident &incident, const Runbook *runbook)
{
    const QList<ChartSpec> specs = chartsFor(incident, runbook);
    const bool same = incident.id == m_incidentId && specs.size() == m_specs.size()
        && std::equal(specs.cbegin(), specs.cend(), m_specs.cbegin(), [](const ChartSpec &a, const ChartSpec &b) {
               return a.selector() == b.selector() && a.thresholds == b.thresholds;
           });
    m_incidentId = incident.id;
    if (same)
        return;
    m_specs = specs;
    qDeleteAll(m_charts);
    m_charts.clear();
    for (const ChartSpec &spec : std::as_const(m_specs)) {
        auto *chart = new MetricChart(this);
        chart->setObjectName(u"chart_"_s + spec.metric);
        chart->setTitle(spec.title());
        chart->setUnit(spec.unit);
        chart->setThresholds(spec.thresholds);
        QList<double> lines;
        for (const ChartThreshold &t : spec.thresholds)
            lines << chart->plotted(t.value);
        chart->setRange(ChartRange::fit({}, lines, spec.unit, span)); // the lines show before the first data
        m_layout->addWidget(chart, 1);
        m_charts << chart;
    }
    m_empty->setVisible(m_charts.isEmpty());
    m_empty->setText(tr("Nothing to chart: the alert %1 is not defined on a metric this console knows.")
                         .arg(incident.labels.value(u"alertname"_s, incident.title)));
    refresh();
}

void IncidentCharts::setEvents(const QList<EngineEvent> &events)
{
    m_events = events;
}

QList<IncidentCharts::StepMark> IncidentCharts::stepMarks(const QList<EngineEvent> &events)
{
    QList<StepMark> marks;
    for (const EngineEvent &e : events) {
        if (e.data.value(u"phase"_s).toString() == u"diagnosis"_s)
            continue;
        const QString step = e.data.value(u"step"_s).toString();
        if (e.kind == EngineEvent::Kind::StepStarted && e.data.contains(u"pass"_s)) {
            marks.append({ e.at, u"%1 #%2"_s.arg(step).arg(e.data.value(u"pass"_s).toInt()), true, step });
        } else if (e.kind == EngineEvent::Kind::StepFinished && !e.data.contains(u"passes"_s)) {
            const bool succeeded
                = stepResultFromText(e.data.value(u"outcome"_s).toString()).value_or(StepResult::Failed)
                == StepResult::Succeeded;
            marks.append({ e.at, u"%1 %2"_s.arg(step, succeeded ? u"✓"_s : u"✗"_s), succeeded, {} });
        }
    }
    return marks;
}

void IncidentCharts::refresh()
{
    if (!m_reader || m_specs.isEmpty())
        return;
    QList<MetricQuery> queries;
    for (const ChartSpec &spec : std::as_const(m_specs))
        queries << spec.query();
    const QString incident = m_incidentId;
    m_reader->readWindow(queries, span, step, this, [this, incident](const MetricReader::Window &window) {
        if (incident == m_incidentId) // an answer for an incident no longer shown is dropped
            apply(window);
    });
}

void IncidentCharts::apply(const MetricReader::Window &window)
{
    QList<MetricChart::Marker> markers;
    for (const StepMark &mark : stepMarks(m_events)) {
        const double x = ChartRange::minutesBefore(mark.at, window.now);
        if (x >= -toSeconds(span) / 60.0)
            markers << MetricChart::Marker { x, mark.label, mark.ok, mark.passOf };
    }
    for (qsizetype c = 0; c < m_charts.size() && c < window.results.size(); ++c) {
        MetricChart *chart = m_charts.at(c);
        const ChartSpec &spec = m_specs.at(c);
        const RangeResult &result = window.results.at(c);
        const qsizetype count = std::min<qsizetype>(result.series.size(), maxSeriesPerChart);
        QList<Labels> labels;
        for (qsizetype s = 0; s < count; ++s)
            labels << result.series.at(s).labels;
        chart->setSeriesNames(ChartRange::seriesNames(labels, spec.metric));
        QList<QList<QPointF>> plotted;
        const double scale = chart->plotted(1.0) / ChartRange::plotted(1.0, spec.unit); // seconds drawn in min, h or d
        for (qsizetype s = 0; s < count; ++s) {
            QList<QPointF> &points = chart->buffer(int(s));
            ChartRange::toPoints(result.series.at(s), window.now, spec.unit, points);
            if (scale != 1.0) {
                for (QPointF &p : points)
                    p.ry() *= scale;
            }
            chart->commit(int(s));
            plotted << chart->buffer(int(s));
        }
        QList<double> thresholds;
        for (const ChartThreshold &t : spec.thresholds)
            thresholds << chart->plotted(t.value);
        chart->setRange(ChartRange::fit(plotted, thresholds, spec.unit, span));
        chart->setMarkers(markers);
        if (!result.ok)
            chart->setNote(tr("No data from the metric source: %1").arg(result.error));
        else if (result.series.isEmpty())
            chart->setNote(tr("The metric source has no series for %1 in the last %2.")
                               .arg(spec.selector(), formatDuration(span)));
        else if (result.series.size() > count)
            chart->setNote(tr("Showing %1 of %2 series.").arg(count).arg(result.series.size()));
        else
            chart->setNote({});
    }
}

void IncidentCharts::showEvent(QShowEvent *event)
{
    m_timer.start();
    refresh();
    QWidget::showEvent(event);
}

void IncidentCharts::hideEvent(QHideEvent *event)
{
    m_timer.stop(); // nobody looks: no reads
    QWidget::hideEvent(event);
}

} // namespace antibody
