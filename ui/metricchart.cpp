#include "ui/metricchart.h"

#include "ui/consolepalette.h"
#include "ui/markerlayout.h"

#include <QChart>
#include <QChartView>
#include <QEvent>
#include <QFontMetricsF>
#include <QGraphicsRectItem>
#include <QGraphicsSimpleTextItem>
#include <QLabel>
#include <QLegend>
#include <QLegendMarker>
#include <QLineSeries>
#include <QVBoxLayout>
#include <QValueAxis>

using namespace Qt::StringLiterals;

namespace antibody {

struct MetricChart::Library
{
    QChart *chart = nullptr;
    QChartView *view = nullptr;
    QValueAxis *x = nullptr;
    QValueAxis *y = nullptr;
    QLabel *note = nullptr;
    QList<QLineSeries *> series;
    QList<QList<QPointF>> buffers;
    QList<QList<QPointF>> plotted; // decimated copies, reused between commits
    int plotColumns = 0; // plot width in pixels when the series were last committed
    QList<QLineSeries *> thresholds;
    QList<double> thresholdValues;
    QList<QLineSeries *> markers;
    // A pool: the first labels.size() are shown, each on a backing in the plot's colour,
    // so that the lines behind a label do not cross out its letters.
    QList<QGraphicsRectItem *> markerBackings;
    QList<QGraphicsSimpleTextItem *> markerLabels;
    QList<Marker> markerData;
    QList<MarkerLayout::Label> labels;

    QLineSeries *addLine()
    {
        auto *s = new QLineSeries(chart);
        chart->addSeries(s);
        s->attachAxis(x);
        s->attachAxis(y);
        return s;
    }
    void hideFromLegend(QLineSeries *s)
    {
        for (QLegendMarker *m : chart->legend()->markers(s))
            m->setVisible(false);
    }
};

MetricChart::MetricChart(QWidget *parent)
    : QWidget(parent)
    , d(std::make_unique<Library>())
{
    d->chart = new QChart;
    d->chart->setMargins(QMargins(4, 4, 4, 4));
    d->chart->legend()->setAlignment(Qt::AlignBottom);
    d->chart->setAnimationOptions(QChart::NoAnimation); // live data: animations would lag the truth
    d->x = new QValueAxis(d->chart);
    d->x->setLabelFormat(u"%.0f min"_s);
    d->x->setTickCount(6);
    d->y = new QValueAxis(d->chart);
    d->chart->addAxis(d->x, Qt::AlignBottom);
    d->chart->addAxis(d->y, Qt::AlignLeft);
    d->view = new QChartView(d->chart, this);
    d->view->setRenderHint(QPainter::Antialiasing);
    d->view->setMinimumHeight(180);
    d->note = new QLabel(this);
    d->note->setObjectName(u"chartNote"_s);
    d->note->setWordWrap(true);
    d->note->hide();
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setSpacing(2);
    layout->addWidget(d->view, 1);
    layout->addWidget(d->note);
    connect(d->chart, &QChart::plotAreaChanged, this, &MetricChart::plotAreaChanged);
    setUnit(Measure::Kind::Plain);
    setRange(m_range);
    applyColours();
}

MetricChart::~MetricChart() = default;

void MetricChart::setTitle(const QString &title)
{
    d->chart->setTitle(title);
}

QString MetricChart::title() const
{
    return d->chart->title();
}

void MetricChart::setUnit(Measure::Kind unit)
{
    m_unit = unit;
    switch (unit) {
    case Measure::Kind::Percent:
        d->y->setLabelFormat(u"%.0f%%"_s);
        break;
    case Measure::Kind::Seconds:
        m_secondsPerUnit = 1.0;
        d->y->setLabelFormat(u"%.1f s"_s);
        break;
    case Measure::Kind::Plain:
        d->y->setLabelFormat(u"%g"_s);
        break;
    }
}

void MetricChart::setSeriesNames(const QStringList &names)
{
    while (d->series.size() > names.size()) {
        QLineSeries *s = d->series.takeLast();
        d->chart->removeSeries(s);
        delete s;
        d->buffers.removeLast();
        d->plotted.removeLast();
    }
    while (d->series.size() < names.size()) {
        QLineSeries *s = d->addLine();
        QPen pen = s->pen();
        pen.setWidthF(2.0);
        s->setPen(pen);
        d->series << s;
        d->buffers << QList<QPointF> {};
        d->plotted << QList<QPointF> {};
    }
    for (qsizetype i = 0; i < names.size(); ++i)
        d->series.at(i)->setName(names.at(i));
    d->chart->legend()->setVisible(names.size() > 1 || !d->thresholds.isEmpty());
}

int MetricChart::seriesCount() const
{
    return static_cast<int>(d->series.size());
}

QList<QPointF> &MetricChart::buffer(int series)
{
    return d->buffers[series];
}

void MetricChart::commit(int series)
{
    // Painting dominates a live update, and a 3,600-point line on a 600-pixel
    // plot paints six points per pixel that nobody can see.
    d->plotColumns = static_cast<int>(d->chart->plotArea().width());
    ChartRange::decimate(d->buffers.at(series), m_range.xMin, m_range.xMax, d->plotColumns, d->plotted[series]);
    d->series.at(series)->replace(d->plotted.at(series));
}

void MetricChart::commitAll()
{
    for (int i = 0; i < seriesCount(); ++i)
        commit(i);
}

int MetricChart::plottedPointCount(int series) const
{
    return static_cast<int>(d->series.at(series)->count());
}

void MetricChart::plotAreaChanged()
{
    // A wider plot shows more detail: decimate again for the new width.
    if (static_cast<int>(d->chart->plotArea().width()) != d->plotColumns)
        commitAll();
    placeMarkerLabels();
}

void MetricChart::setThresholds(const QList<ChartThreshold> &thresholds)
{
    for (QLineSeries *s : std::as_const(d->thresholds)) {
        d->chart->removeSeries(s);
        delete s;
    }
    d->thresholds.clear();
    d->thresholdValues.clear();
    if (m_unit == Measure::Kind::Seconds) {
        double largest = 0;
        for (const ChartThreshold &t : thresholds)
            largest = std::max(largest, std::abs(t.value));
        const auto [perUnit, suffix] = ChartRange::timeUnitFor(largest);
        m_secondsPerUnit = perUnit;
        d->y->setLabelFormat(perUnit == 1.0 ? u"%.1f s"_s : u"%.0f "_s + suffix);
    }
    for (const ChartThreshold &t : thresholds) {
        QLineSeries *s = d->addLine();
        s->setName(t.label);
        d->thresholds << s;
        d->thresholdValues << plotted(t.value);
    }
    d->chart->legend()->setVisible(d->series.size() > 1 || !d->thresholds.isEmpty());
    setRange(m_range);
    applyColours();
}

double MetricChart::plotted(double value) const
{
    return ChartRange::plotted(value, m_unit) / m_secondsPerUnit;
}

void MetricChart::setMarkers(const QList<Marker> &markers)
{
    while (d->markers.size() < markers.size()) {
        QLineSeries *s = d->addLine();
        d->hideFromLegend(s);
        d->markers << s;
        auto *backing = new QGraphicsRectItem(d->chart);
        backing->setPen(Qt::NoPen);
        backing->setZValue(10);
        d->markerBackings << backing;
        d->markerLabels << new QGraphicsSimpleTextItem(backing);
    }
    for (qsizetype i = 0; i < d->markers.size(); ++i)
        d->markers.at(i)->setVisible(i < markers.size());
    d->markerData = markers;
    setRange(m_range);
    applyColours();
}

int MetricChart::markerCount() const
{
    return static_cast<int>(d->markerData.size());
}

QStringList MetricChart::markerLabelTexts() const
{
    QStringList texts;
    for (const MarkerLayout::Label &l : std::as_const(d->labels))
        texts << l.text;
    return texts;
}

QList<QRectF> MetricChart::markerLabelRects() const
{
    QList<QRectF> rects;
    const QPoint viewport = d->view->viewport()->mapTo(this, QPoint());
    for (qsizetype i = 0; i < d->labels.size(); ++i) {
        const QRectF scene = d->markerBackings.at(i)->sceneBoundingRect();
        rects << d->view->viewportTransform().mapRect(scene).translated(viewport);
    }
    return rects;
}

void MetricChart::setRange(const ChartRange &range)
{
    const bool newSpan = range.xMin != m_range.xMin || range.xMax != m_range.xMax;
    m_range = range;
    if (newSpan) // the decimation's columns cover the old span
        commitAll();
    d->x->setRange(range.xMin, range.xMax);
    d->y->setRange(range.yMin, range.yMax);
    d->y->setTickCount(range.yTicks);
    for (qsizetype i = 0; i < d->thresholds.size(); ++i) {
        const double v = d->thresholdValues.at(i);
        d->thresholds.at(i)->replace({ QPointF(range.xMin, v), QPointF(range.xMax, v) });
    }
    for (qsizetype i = 0; i < d->markerData.size(); ++i) {
        const double x = d->markerData.at(i).x;
        d->markers.at(i)->replace({ QPointF(x, range.yMin), QPointF(x, range.yMax) });
    }
    placeMarkerLabels();
}

void MetricChart::placeMarkerLabels()
{
    const QRectF plot = d->chart->plotArea();
    QList<MarkerLayout::Marker> markers;
    for (qsizetype i = 0; i < d->markerData.size(); ++i) {
        const Marker &m = d->markerData.at(i);
        const QPointF top = d->chart->mapToPosition(QPointF(m.x, m_range.yMax), d->markers.at(i));
        markers << MarkerLayout::Marker { top.x(), m.label, m.passOf };
    }
    const QFontMetricsF metrics(d->markerLabels.isEmpty() ? font() : d->markerLabels.front()->font());
    const double rowHeight = metrics.height() + 2;
    const int rows = std::min(maxMarkerRows, static_cast<int>((plot.height() - 2) / rowHeight));
    d->labels = MarkerLayout::place(markers, plot.left(), plot.right(), rows,
        [&metrics](const QString &text) { return metrics.horizontalAdvance(text); });
    for (qsizetype i = 0; i < d->markerBackings.size(); ++i) {
        QGraphicsRectItem *backing = d->markerBackings.at(i);
        backing->setVisible(i < d->labels.size());
        if (i >= d->labels.size())
            continue;
        const MarkerLayout::Label &l = d->labels.at(i);
        d->markerLabels.at(i)->setText(l.text);
        backing->setPos(l.left, plot.top() + 2 + l.row * rowHeight);
        backing->setRect(-1, 0, l.width + 2, metrics.height());
    }
    colourMarkerLabels();
}

void MetricChart::colourMarkerLabels()
{
    const ConsolePalette colours = ConsolePalette::from(palette());
    for (qsizetype i = 0; i < d->labels.size(); ++i) {
        const QList<int> &marked = d->labels.at(i).markers;
        // A merged label is as bad as its worst pass.
        const bool ok = std::all_of(marked.cbegin(), marked.cend(), [&](int m) { return d->markerData.at(m).ok; });
        d->markerLabels.at(i)->setBrush(ok ? palette().color(QPalette::WindowText) : colours.blocked);
        QColor backing = palette().color(QPalette::Base);
        backing.setAlpha(210); // the line stays faintly visible through it
        d->markerBackings.at(i)->setBrush(backing);
    }
}

void MetricChart::setNote(const QString &note)
{
    d->note->setText(note);
    d->note->setVisible(!note.isEmpty());
}

QString MetricChart::note() const
{
    return d->note->text();
}

void MetricChart::changeEvent(QEvent *event)
{
    if (event->type() == QEvent::PaletteChange)
        applyColours();
    QWidget::changeEvent(event);
}

void MetricChart::applyColours()
{
    const ConsolePalette colours = ConsolePalette::from(palette());
    const QColor text = palette().color(QPalette::WindowText);
    d->chart->setBackgroundBrush(palette().color(QPalette::Base));
    d->chart->setTitleBrush(text);
    d->chart->legend()->setLabelColor(text);
    for (QValueAxis *axis : { d->x, d->y }) {
        axis->setLabelsColor(text);
        axis->setGridLineColor(palette().color(QPalette::Midlight));
        axis->setLinePenColor(palette().color(QPalette::Mid));
    }
    // Hues apart before shades apart: two series of one chart never read as one colour.
    const QList<QColor> lineColours { colours.running, colours.high, colours.ok, colours.calm.darker(120) };
    for (qsizetype i = 0; i < d->series.size(); ++i) {
        QPen pen = d->series.at(i)->pen();
        pen.setColor(lineColours.at(i % lineColours.size()));
        d->series.at(i)->setPen(pen);
    }
    // The first threshold is where trouble starts (red); later ones are goals (green).
    for (qsizetype i = 0; i < d->thresholds.size(); ++i) {
        QPen pen(i == 0 ? colours.critical : colours.ok, 1.5, Qt::DashLine);
        d->thresholds.at(i)->setPen(pen);
    }
    for (qsizetype i = 0; i < d->markers.size(); ++i) {
        const bool ok = i < d->markerData.size() ? d->markerData.at(i).ok : true;
        d->markers.at(i)->setPen(QPen(ok ? colours.muted : colours.blocked, 1.0, Qt::DotLine));
    }
    colourMarkerLabels();
}

} // namespace antibody
