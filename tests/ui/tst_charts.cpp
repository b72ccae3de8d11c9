#include "models/link/metricreader.h"
#include "tests/support/samples.h"
#include "ui/chartrange.h"
#include "ui/incidentcharts.h"
#include "ui/markerlayout.h"
#include "ui/metricchart.h"

#include <QTest>
#include <algorithm>
#include <cmath>
#include <tuple>

using namespace Qt::StringLiterals;
using namespace antibody;
using namespace std::chrono_literals;

namespace {

// A metric reader double: records what was asked and answers when told to.
class ScriptedReader : public MetricReader
{
public:
    void readWindow(const QList<MetricQuery> &queries, Duration span, Duration, QObject *,
        std::function<void(const Window &)> done) override
    {
        asked = queries;
        lastSpan = span;
        pending = std::move(done);
    }
    QList<MetricQuery> asked;
    Duration lastSpan { 0 };
    std::function<void(const Window &)> pending;
};

RangeSeries series(const QString &service, TimePoint from, int points, double start, double step)
{
    RangeSeries s;
    s.labels.insert(u"service"_s, service);
    for (int i = 0; i < points; ++i)
        s.points.append({ from + Duration { i * 5'000 }, start + i * step });
    return s;
}

double sevenPerCharacter(const QString &text)
{
    return 7.0 * double(text.size());
}

// The first two labels that share pixels in a row, or that break the rules of the plot; empty when none do.
QString misplaced(const QList<MarkerLayout::Label> &labels, double plotLeft, double plotRight, int rows)
{
    QSet<int> seen;
    for (qsizetype i = 0; i < labels.size(); ++i) {
        const MarkerLayout::Label &a = labels.at(i);
        if (a.row < 0 || a.row >= rows)
            return u"%1 is in row %2"_s.arg(a.text).arg(a.row);
        if (a.left < plotLeft || a.left + a.width > plotRight)
            return u"%1 leaves the plot: %2 + %3"_s.arg(a.text).arg(a.left).arg(a.width);
        for (int m : a.markers) {
            if (seen.contains(m))
                return u"marker %1 is labelled twice"_s.arg(m);
            seen.insert(m);
        }
        for (qsizetype j = 0; j < i; ++j) {
            const MarkerLayout::Label &b = labels.at(j);
            if (a.row == b.row && a.left < b.left + b.width + MarkerLayout::gap
                && b.left < a.left + a.width + MarkerLayout::gap)
                return u"%1 touches %2 in row %3"_s.arg(a.text, b.text).arg(a.row);
        }
    }
    return {};
}

} // namespace

// Chart ranges and the chart adapter, and the incident's live charts on a reader double.
class TestCharts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // A certificate's remaining time reads in days, a latency in seconds: the unit follows
    // the largest threshold, and the threshold line is drawn in it.
    void secondsReadInTheUnitTheirThresholdsNeed()
    {
        QCOMPARE(ChartRange::timeUnitFor(0.5).second, u"s"_s);
        QCOMPARE(ChartRange::timeUnitFor(119).second, u"s"_s);
        QCOMPARE(ChartRange::timeUnitFor(300).second, u"min"_s);
        QCOMPARE(ChartRange::timeUnitFor(4 * 3600).second, u"h"_s);
        QCOMPARE(ChartRange::timeUnitFor(720 * 3600).first, 86'400.0);
        MetricChart chart;
        chart.setUnit(Measure::Kind::Seconds);
        chart.setThresholds({ ChartThreshold { 720 * 3600.0, u"goal above 720h"_s } });
        QCOMPARE(chart.plotted(720 * 3600.0), 30.0);
        QCOMPARE(chart.plotted(86'400.0 * 90), 90.0);
        chart.setUnit(Measure::Kind::Seconds);
        chart.setThresholds({ ChartThreshold { 1.0, u"alert > 1s"_s } });
        QCOMPARE(chart.plotted(1.5), 1.5);
        chart.setUnit(Measure::Kind::Percent);
        chart.setThresholds({ ChartThreshold { 0.9, u"trigger > 90%"_s } });
        QCOMPARE(chart.plotted(0.9), 90.0);
    }

    // Two series of one service would read the same in the legend: the labels that differ say which is which.
    void legendNamesTellTheSeriesApart()
    {
        const Labels east { { u"service"_s, u"api-gateway"_s }, { u"region"_s, u"us-east-1"_s }, { u"job"_s, u"x"_s } };
        const Labels west { { u"service"_s, u"api-gateway"_s }, { u"region"_s, u"eu-west-1"_s }, { u"job"_s, u"x"_s } };
        QCOMPARE(ChartRange::seriesNames({ east, west }, u"m"_s), QStringList({ u"us-east-1"_s, u"eu-west-1"_s }));
        const Labels eastB { { u"service"_s, u"api-gateway"_s }, { u"region"_s, u"us-east-1"_s },
            { u"zone"_s, u"b"_s } };
        QCOMPARE(ChartRange::seriesNames({ east, eastB }, u"m"_s), QStringList({ u"job=x"_s, u"zone=b"_s }));
        const Labels pod1 { { u"service"_s, u"checkout"_s }, { u"pod"_s, u"checkout-1"_s } };
        const Labels pod2 { { u"service"_s, u"checkout"_s }, { u"pod"_s, u"checkout-2"_s } };
        QCOMPARE(ChartRange::seriesNames({ pod1, pod2 }, u"m"_s), QStringList({ u"checkout-1"_s, u"checkout-2"_s }));
        QCOMPARE(ChartRange::seriesNames({ Labels {} }, u"cpu"_s), QStringList { u"cpu"_s });
        QCOMPARE(ChartRange::seriesNames({ Labels {}, Labels { { u"zone"_s, u"b"_s } } }, u"cpu"_s),
            QStringList({ u"cpu"_s, u"b"_s }));
    }

    void niceCeilings_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<double>("nice");
        QTest::addRow("exact") << 100.0 << 100.0;
        QTest::addRow("just over") << 101.0 << 200.0;
        QTest::addRow("2.5 steps") << 2.2 << 2.5;
        QTest::addRow("small") << 0.037 << 0.05;
        QTest::addRow("zero") << 0.0 << 1.0;
        QTest::addRow("negative") << -3.0 << 1.0;
        QTest::addRow("not a number") << qQNaN() << 1.0;
    }

    void niceCeilings()
    {
        QFETCH(double, value);
        QFETCH(double, nice);
        QCOMPARE(ChartRange::niceCeiling(value), nice);
    }

    void rangesFitDataAndLines_data()
    {
        QTest::addColumn<int>("unit");
        QTest::addColumn<QList<double>>("values");
        QTest::addColumn<QList<double>>("thresholds");
        QTest::addColumn<double>("yMin");
        QTest::addColumn<double>("yMax");
        QTest::addRow("utilization reads on 0-100%%")
            << int(Measure::Kind::Percent) << QList<double> { 62, 95 } << QList<double> { 90, 70 } << 0.0 << 100.0;
        QTest::addRow("over 100%% gets headroom")
            << int(Measure::Kind::Percent) << QList<double> { 130 } << QList<double> {} << 0.0 << 200.0;
        QTest::addRow("latency keeps its threshold in view")
            << int(Measure::Kind::Seconds) << QList<double> { 0.3, 0.4 } << QList<double> { 1.0 } << 0.0 << 2.0;
        QTest::addRow("plain counts") << int(Measure::Kind::Plain) << QList<double> { 3, 17 } << QList<double> {} << 0.0
                                      << 20.0;
        QTest::addRow("negative values") << int(Measure::Kind::Plain) << QList<double> { -4, 2 } << QList<double> {}
                                         << -5.0 << 2.5;
        QTest::addRow("a NaN sample is ignored")
            << int(Measure::Kind::Plain) << QList<double> { qQNaN(), 8 } << QList<double> {} << 0.0 << 10.0;
    }

    void rangesFitDataAndLines()
    {
        QFETCH(int, unit);
        QFETCH(QList<double>, values);
        QFETCH(QList<double>, thresholds);
        QFETCH(double, yMin);
        QFETCH(double, yMax);
        QList<QPointF> points;
        for (double v : values)
            points << QPointF(-1, v);
        const auto range = ChartRange::fit({ points }, thresholds, static_cast<Measure::Kind>(unit), 15min);
        QCOMPARE(range.xMin, -15.0);
        QCOMPARE(range.xMax, 0.0);
        QCOMPARE(range.yMin, yMin);
        QCOMPARE(range.yMax, yMax);
    }

    void pointsAreMinutesBeforeNow()
    {
        const TimePoint now = samples::at(600);
        QList<QPointF> out { QPointF(1, 1), QPointF(2, 2), QPointF(3, 3), QPointF(4, 4) };
        ChartRange::toPoints(series(u"orders-db"_s, now - 1min, 3, 0.9, -0.1), now, Measure::Kind::Percent, out);
        QCOMPARE(out.size(), 3); // the buffer is resized to the data, not appended to
        QCOMPARE(out.at(0), QPointF(-1.0, 90.0));
        QCOMPARE(out.at(2).x(), -50.0 / 60.0);
        QVERIFY(qFuzzyCompare(out.at(2).y(), 70.0));
    }

    void decimationKeepsWhatAPixelColumnShows()
    {
        QList<QPointF> points;
        for (int p = 0; p < 3600; ++p)
            points << QPointF(-60.0 + p / 60.0, 0.5 + 0.4 * qSin(p / 40.0));
        points[1234].setY(9.0); // a one-sample spike must survive
        points[2345].setY(-3.0);
        QList<QPointF> out { QPointF(7, 7) };
        ChartRange::decimate(points, -60, 0, 600, out);
        QVERIFY2(out.size() <= 2 * 600 + 2, qPrintable(QString::number(out.size())));
        QVERIFY(out.size() > 600);
        QCOMPARE(out.constFirst(), points.constFirst());
        QCOMPARE(out.constLast(), points.constLast());
        QVERIFY(out.contains(points.at(1234)));
        QVERIFY(out.contains(points.at(2345)));
        for (qsizetype i = 1; i < out.size(); ++i)
            QVERIFY(out.at(i - 1).x() < out.at(i).x()); // in order, no point twice
        for (const QPointF &p : std::as_const(out))
            QVERIFY(points.contains(p)); // nothing invented
        // Each pixel column keeps its extremes.
        const auto column = [](const QPointF &p) { return int(std::floor((p.x() + 60) / 60 * 600)); };
        for (int c : { 0, 205, 599 }) {
            double low = 1e9, high = -1e9, keptLow = 1e9, keptHigh = -1e9;
            for (const QPointF &p : std::as_const(points)) {
                if (column(p) == c) {
                    low = std::min(low, p.y());
                    high = std::max(high, p.y());
                }
            }
            for (const QPointF &p : std::as_const(out)) {
                if (column(p) == c) {
                    keptLow = std::min(keptLow, p.y());
                    keptHigh = std::max(keptHigh, p.y());
                }
            }
            QCOMPARE(keptLow, low);
            QCOMPARE(keptHigh, high);
        }
    }

    void decimationLeavesShortOddAndGappedSeriesAlone()
    {
        const QList<QPointF> few { QPointF(-3, 1), QPointF(-2, 1), QPointF(-1, 5) };
        QList<QPointF> out;
        ChartRange::decimate(few, -15, 0, 600, out);
        QCOMPARE(out, few);
        QList<QPointF> many;
        for (int p = 0; p < 100; ++p)
            many << QPointF(-10 + p / 10.0, p);
        const std::tuple<double, double, int> odd[] { { -15, 0, 0 }, { -15, 0, -4 }, { 0, 0, 10 }, { 0, -15, 10 },
            { -qInf(), 0, 10 }, { qQNaN(), 0, 10 } };
        for (const auto &[xMin, xMax, columns] : odd) {
            ChartRange::decimate(many, xMin, xMax, columns, out);
            QCOMPARE(out, many);
        }
        // A gap (no value) stays a gap, and points off the plot land at its edges.
        many[50].setY(qQNaN());
        many << QPointF(5, 1) << QPointF(6, 2);
        ChartRange::decimate(many, -10, 0, 10, out);
        QVERIFY(out.size() < many.size());
        QCOMPARE(std::count_if(out.cbegin(), out.cend(), [](const QPointF &p) { return std::isnan(p.y()); }), 1);
        QCOMPARE(out.constLast(), QPointF(6, 2));
    }

    void adapterPlotsWhatItsWidthShows()
    {
        MetricChart chart;
        chart.resize(500, 300);
        chart.setSeriesNames({ u"pod-1"_s });
        chart.setRange(ChartRange { -60, 0, 0, 1, 5 });
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        QList<QPointF> &buffer = chart.buffer(0);
        for (int p = 0; p < 3600; ++p)
            buffer << QPointF(-60.0 + p / 60.0, 0.5 + 0.4 * qSin(p / 40.0));
        chart.commit(0);
        const int narrow = chart.plottedPointCount(0);
        QVERIFY2(narrow > 100 && narrow <= 2 * 500 + 2, qPrintable(QString::number(narrow)));
        QCOMPARE(chart.buffer(0).size(), 3600); // the caller's buffer is untouched
        chart.resize(1400, 300);
        QTRY_VERIFY(chart.plottedPointCount(0) > narrow); // a wider plot shows more
        QVERIFY(chart.plottedPointCount(0) < 3600);
        // A shorter span than the data: the columns follow the new span.
        chart.setRange(ChartRange { -5, 0, 0, 1, 5 });
        QVERIFY(chart.plottedPointCount(0) < 3600);
    }

    void markerLabelsKeepApart_data()
    {
        QTest::addColumn<QList<double>>("xs");
        QTest::addColumn<QStringList>("labels");
        QTest::addColumn<QStringList>("passOf");
        QTest::addColumn<double>("plotRight"); // the plot starts at 0
        QTest::addColumn<QStringList>("texts");
        QTest::addColumn<QList<int>>("rows");
        const QStringList kill { u"kill_idle #1"_s, u"kill_idle #2"_s, u"kill_idle #3"_s };
        const QStringList passes(3, u"kill_idle"_s);
        QTest::addRow("passes 2 px apart merge") << QList<double> { 100, 102, 104 } << kill << passes << 600.0
                                                 << QStringList { u"kill_idle ×3"_s } << QList<int> { 0 };
        QTest::addRow("passes 0 px apart merge") << QList<double> { 100, 100 } << kill.mid(0, 2) << passes.mid(0, 2)
                                                 << 600.0 << QStringList { u"kill_idle ×2"_s } << QList<int> { 0 };
        QTest::addRow("the passes and the verify step of one remediation")
            << QList<double> { 100, 102, 104, 106 } << kill + QStringList { u"verify_recovery ✓"_s }
            << passes + QStringList { QString() } << 600.0 << QStringList { u"kill_idle ×3"_s, u"verify_recovery ✓"_s }
            << QList<int> { 0, 1 };
        QTest::addRow("different steps 0 px apart stack")
            << QList<double> { 200, 200, 200 }
            << QStringList { u"reset_pool #1"_s, u"scale_out #1"_s, u"verify_cpu ✓"_s }
            << QStringList { u"reset_pool"_s, u"scale_out"_s, QString() } << 600.0
            << QStringList { u"reset_pool #1"_s, u"scale_out #1"_s, u"verify_cpu ✓"_s } << QList<int> { 0, 1, 2 };
        QTest::addRow("passes far apart keep their numbers")
            << QList<double> { 50, 300 } << kill.mid(0, 2) << passes.mid(0, 2) << 600.0 << kill.mid(0, 2)
            << QList<int> { 0, 0 };
        QTest::addRow("read in the order of x")
            << QList<double> { 300, 50 } << QStringList { u"verify_recovery ✓"_s, u"kill_idle #1"_s }
            << QStringList { QString(), u"kill_idle"_s } << 600.0
            << QStringList { u"kill_idle #1"_s, u"verify_recovery ✓"_s } << QList<int> { 0, 0 };
        QTest::addRow("a marker at the right edge")
            << QList<double> { 600 } << QStringList { u"verify_recovery ✓"_s } << QStringList { QString() } << 600.0
            << QStringList { u"verify_recovery ✓"_s } << QList<int> { 0 };
        QTest::addRow("two at the right edge stack")
            << QList<double> { 590, 600 } << QStringList { u"verify_recovery ✓"_s, u"escalate ✗"_s }
            << QStringList { QString(), QString() } << 600.0 << QStringList { u"verify_recovery ✓"_s, u"escalate ✗"_s }
            << QList<int> { 0, 1 };
        QTest::addRow("more labels than rows: the last is left out")
            << QList<double> { 100, 100, 100, 100 } << QStringList { u"a ✓"_s, u"b ✓"_s, u"c ✓"_s, u"d ✓"_s }
            << QStringList(4, QString()) << 600.0 << QStringList { u"a ✓"_s, u"b ✓"_s, u"c ✓"_s }
            << QList<int> { 0, 1, 2 };
        QTest::addRow("off the plot or not a number: no label")
            << QList<double> { -40, qQNaN(), 100, 900 } << QStringList { u"a ✓"_s, u"b ✓"_s, u"c ✓"_s, u"d ✓"_s }
            << QStringList(4, QString()) << 600.0 << QStringList { u"c ✓"_s } << QList<int> { 0 };
        QTest::addRow("zero-width plot") << QList<double> { 0, 0 } << kill.mid(0, 2) << passes.mid(0, 2) << 0.0
                                         << QStringList {} << QList<int> {};
    }

    void markerLabelsKeepApart()
    {
        QFETCH(QList<double>, xs);
        QFETCH(QStringList, labels);
        QFETCH(QStringList, passOf);
        QFETCH(double, plotRight);
        QFETCH(QStringList, texts);
        QFETCH(QList<int>, rows);
        QList<MarkerLayout::Marker> markers;
        for (qsizetype i = 0; i < xs.size(); ++i)
            markers << MarkerLayout::Marker { xs.at(i), labels.at(i), passOf.at(i) };
        const auto placed = MarkerLayout::place(markers, 0, plotRight, 3, sevenPerCharacter);
        QStringList placedTexts;
        QList<int> placedRows;
        for (const MarkerLayout::Label &l : placed) {
            placedTexts << l.text;
            placedRows << l.row;
            QCOMPARE(l.width, sevenPerCharacter(l.text));
        }
        QCOMPARE(placedTexts, texts);
        QCOMPARE(placedRows, rows);
        const QString problem = misplaced(placed, 0, plotRight, 3);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));
    }

    void mergedPassesStandForEachMarker()
    {
        const auto placed = MarkerLayout::place(
            { { 104, u"kill_idle #3"_s, u"kill_idle"_s }, { 100, u"kill_idle #1"_s, u"kill_idle"_s },
                { 102, u"kill_idle #2"_s, u"kill_idle"_s } },
            0, 600, 3, sevenPerCharacter);
        QCOMPARE(placed.size(), 1);
        QCOMPARE(placed.front().markers, (QList<int> { 1, 2, 0 }));
        QCOMPARE(placed.front().left, 100 + MarkerLayout::offset); // at the first pass
    }

    void manyMarkersKeepToTheirRows()
    {
        // A crash loop's restarts and failed verifications, interleaved, 0-3 px apart.
        QList<MarkerLayout::Marker> markers;
        for (int i = 0; i < 200; ++i) {
            const bool restart = i % 2 == 0;
            markers << MarkerLayout::Marker { 20.0 + i * (i % 4),
                restart ? u"restart #%1"_s.arg(i / 2 + 1) : u"verify ✗"_s, restart ? u"restart"_s : QString() };
        }
        const auto placed = MarkerLayout::place(markers, 0, 800, 3, sevenPerCharacter);
        QVERIFY(!placed.isEmpty());
        const QString problem = misplaced(placed, 0, 800, 3);
        QVERIFY2(problem.isEmpty(), qPrintable(problem));

        // One step's 200 passes a pixel apart read as one label.
        QList<MarkerLayout::Marker> passes;
        for (int i = 0; i < 200; ++i)
            passes << MarkerLayout::Marker { 100.0 + i, u"restart #%1"_s.arg(i + 1), u"restart"_s };
        const auto one = MarkerLayout::place(passes, 0, 800, 3, sevenPerCharacter);
        QCOMPARE(one.size(), 1);
        QCOMPARE(one.front().text, u"restart ×200"_s);
    }

    void closeMarkersGetLabelsThatDoNotOverlap()
    {
        MetricChart chart;
        chart.resize(600, 300);
        chart.setRange(ChartRange { -15, 0, 0, 100, 5 });
        chart.show();
        QVERIFY(QTest::qWaitForWindowExposed(&chart));
        chart.setMarkers({ { -1.0, u"kill_idle #1"_s, true, u"kill_idle"_s },
            { -0.98, u"kill_idle #2"_s, true, u"kill_idle"_s }, { -0.96, u"kill_idle #3"_s, true, u"kill_idle"_s },
            { -0.94, u"verify_recovery ✓"_s, true, {} }, { 0, u"escalate ✗"_s, false, {} } });
        QCOMPARE(chart.markerCount(), 5);
        QTRY_COMPARE(
            chart.markerLabelTexts(), (QStringList { u"kill_idle ×3"_s, u"verify_recovery ✓"_s, u"escalate ✗"_s }));
        const QList<QRectF> rects = chart.markerLabelRects();
        QCOMPARE(rects.size(), 3);
        for (qsizetype i = 0; i < rects.size(); ++i) {
            QVERIFY(QRectF(QPointF(0, 0), QSizeF(chart.size())).contains(rects.at(i)));
            for (qsizetype j = 0; j < i; ++j)
                QVERIFY2(!rects.at(i).intersects(rects.at(j)), qPrintable(u"%1 and %2"_s.arg(i).arg(j)));
        }
    }

    void adapterKeepsOneBufferPerSeries()
    {
        MetricChart chart;
        chart.setSeriesNames({ u"pod-1"_s, u"pod-2"_s });
        QCOMPARE(chart.seriesCount(), 2);
        chart.buffer(1) = { QPointF(-2, 5), QPointF(-1, 6) };
        chart.commit(1);
        chart.setSeriesNames({ u"pod-1"_s });
        QCOMPARE(chart.seriesCount(), 1);
        chart.setMarkers(
            { { -3, u"kill_idle #1"_s, true, u"kill_idle"_s }, { -1, u"verify_recovery ✗"_s, false, {} } });
        QCOMPARE(chart.markerCount(), 2);
        chart.setMarkers({});
        QCOMPARE(chart.markerCount(), 0);
        chart.setNote(u"No data"_s);
        QCOMPARE(chart.note(), u"No data"_s);
    }

    void incidentChartsReadTheRightMetricsAndMarkSteps()
    {
        ScriptedReader reader;
        IncidentCharts charts(&reader);
        charts.resize(600, 400);
        Incident incident = samples::incident(u"INC-1"_s, u"orders-db"_s);
        incident.labels.insert(u"alertname"_s, u"DbConnectionPoolExhausted"_s);
        charts.setIncident(incident, nullptr);
        QCOMPARE(charts.charts().size(), 1);
        QCOMPARE(charts.charts().at(0)->title(), u"service:pg_connection_utilization:ratio · orders-db"_s);
        QVERIFY(reader.pending);
        QCOMPARE(reader.asked.at(0).expression, u"service:pg_connection_utilization:ratio{service=\"orders-db\"}"_s);
        QCOMPARE(reader.lastSpan, IncidentCharts::span);

        const TimePoint now = samples::at(900);
        charts.setEvents({ samples::event(EngineEvent::Kind::StepStarted, 840, u"INC-1"_s, {},
                               { { u"step"_s, u"kill_idle"_s }, { u"pass"_s, 1 } }),
            samples::event(EngineEvent::Kind::StepFinished, 870, u"INC-1"_s, {},
                { { u"step"_s, u"verify_recovery"_s }, { u"outcome"_s, u"succeeded"_s } }),
            samples::event(EngineEvent::Kind::StepFinished, 830, u"INC-1"_s, {},
                { { u"step"_s, u"diagnose"_s }, { u"outcome"_s, u"succeeded"_s }, { u"phase"_s, u"diagnosis"_s } }) });
        RangeResult result;
        result.ok = true;
        result.series << series(u"orders-db"_s, now - 2min, 25, 0.95, -0.01);
        reader.pending({ now, { result } });
        MetricChart *chart = charts.charts().at(0);
        QCOMPARE(chart->seriesCount(), 1);
        QCOMPARE(chart->buffer(0).size(), 25);
        QCOMPARE(chart->markerCount(), 2); // diagnosis is not an executed step
        QCOMPARE(chart->range().yMax, 100.0);
        QCOMPARE(chart->note(), QString());

        RangeResult failed;
        failed.error = u"connection refused (http://127.0.0.1:19090)"_s;
        reader.pending({ now, { failed } });
        QCOMPARE(chart->note(), u"No data from the metric source: connection refused (http://127.0.0.1:19090)"_s);
    }

    void stepMarksNameEachPass()
    {
        const auto marks = IncidentCharts::stepMarks({ samples::event(EngineEvent::Kind::StepStarted, 1, u"INC-1"_s, {},
                                                           { { u"step"_s, u"kill_idle"_s }, { u"pass"_s, 2 } }),
            samples::event(EngineEvent::Kind::StepFinished, 2, u"INC-1"_s, {},
                { { u"step"_s, u"verify_recovery"_s }, { u"outcome"_s, u"timed_out"_s } }),
            samples::event(EngineEvent::Kind::StepFinished, 3, u"INC-1"_s, {},
                { { u"step"_s, u"kill_idle"_s }, { u"outcome"_s, u"succeeded"_s }, { u"passes"_s, 2 } }) });
        QCOMPARE(marks.size(), 2);
        QCOMPARE(marks.at(0).label, u"kill_idle #2"_s);
        QCOMPARE(marks.at(0).passOf, u"kill_idle"_s);
        QVERIFY(marks.at(0).ok);
        QCOMPARE(marks.at(1).label, u"verify_recovery ✗"_s);
        QCOMPARE(marks.at(1).passOf, QString());
        QVERIFY(!marks.at(1).ok);
    }

    void alertsWithoutAMetricSaySo()
    {
        ScriptedReader reader;
        IncidentCharts charts(&reader);
        Incident incident = samples::incident(u"INC-1"_s, u"orders-db"_s);
        incident.labels.insert(u"alertname"_s, u"SecurityIncident"_s);
        charts.setIncident(incident, nullptr);
        QVERIFY(charts.charts().isEmpty());
        QVERIFY(!reader.pending);
    }
};

QTEST_MAIN(TestCharts)
#include "tst_charts.moc"
