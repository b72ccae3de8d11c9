#include "models/metricreader.h"
#include "tests/support/samples.h"
#include "ui/chartrange.h"
#include "ui/incidentcharts.h"
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

} // namespace

// Chart ranges and the chart adapter, and the incident's live charts on a reader double.
class TestCharts : public QObject
{
    Q_OBJECT
private Q_SLOTS:
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

    void adapterKeepsOneBufferPerSeries()
    {
        MetricChart chart;
        chart.setSeriesNames({ u"pod-1"_s, u"pod-2"_s });
        QCOMPARE(chart.seriesCount(), 2);
        chart.buffer(1) = { QPointF(-2, 5), QPointF(-1, 6) };
        chart.commit(1);
        chart.setSeriesNames({ u"pod-1"_s });
        QCOMPARE(chart.seriesCount(), 1);
        chart.setMarkers({ { -3, u"kill_idle #1"_s, true }, { -1, u"verify_recovery ✗"_s, false } });
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
        QCOMPARE(charts.charts().at(0)->title(), u"db_pool_utilization · orders-db"_s);
        QVERIFY(reader.pending);
        QCOMPARE(reader.asked.at(0).expression, u"db_pool_utilization{service=\"orders-db\"}"_s);
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
        QList<bool> ok;
        const auto marks = IncidentCharts::stepMarks(
            { samples::event(EngineEvent::Kind::StepStarted, 1, u"INC-1"_s, {},
                  { { u"step"_s, u"kill_idle"_s }, { u"pass"_s, 2 } }),
                samples::event(EngineEvent::Kind::StepFinished, 2, u"INC-1"_s, {},
                    { { u"step"_s, u"verify_recovery"_s }, { u"outcome"_s, u"timed_out"_s } }),
                samples::event(EngineEvent::Kind::StepFinished, 3, u"INC-1"_s, {},
                    { { u"step"_s, u"kill_idle"_s }, { u"outcome"_s, u"succeeded"_s }, { u"passes"_s, 2 } }) },
            &ok);
        QCOMPARE(marks.size(), 2);
        QCOMPARE(marks.at(0).second, u"kill_idle #2"_s);
        QCOMPARE(marks.at(1).second, u"verify_recovery ✗"_s);
        QCOMPARE(ok, (QList<bool> { true, false }));
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
