#include "simulator/ports/simulatedmetricsource.h"

#include "engine/runbook/triggerexpression.h"
#include "simulator/world/scrape.h"
#include "simulator/world/world.h"

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody::sim {
namespace {

constexpr Duration roundTrip = 20ms;
constexpr Duration lookback = 5min; // Prometheus's staleness: older samples are not "current"
constexpr qint64 maxPoints = 11'000; // Prometheus refuses range queries with more points per series

// Edit distance, for "did you mean".
int distance(const QString &a, const QString &b)
{
    QList<int> row(b.size() + 1);
    for (qsizetype j = 0; j <= b.size(); ++j)
        row[j] = static_cast<int>(j);
    for (qsizetype i = 1; i <= a.size(); ++i) {
        int diagonal = row[0];
        row[0] = static_cast<int>(i);
        for (qsizetype j = 1; j <= b.size(); ++j) {
            const int up = row[j];
            row[j] = std::min({ row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] == b[j - 1] ? 0 : 1) });
            diagonal = up;
        }
    }
    return row[b.size()];
}

struct Selector
{
    TriggerExpression expression;
    QString error;
};

// Hostile input can be long: an error quotes enough to find it, not all of it.
QString quoted(const QString &text)
{
    return text.size() > 80 ? text.left(79) + u'…' : text;
}

Selector parse(const World &world, const MetricQuery &query)
{
    TriggerExpression::ParseError parseError;
    const auto parsed = TriggerExpression::parse(query.expression, &parseError);
    if (!parsed) {
        return { {},
            u"cannot read the metric expression '%1' at column %2: %3"_s.arg(quoted(query.expression))
                .arg(parseError.column + 1)
                .arg(parseError.message) };
    }
    if (!metricNames().contains(parsed->name)) {
        QString closest;
        for (const QString &n : metricNames()) {
            if (closest.isEmpty() || distance(parsed->name, n) < distance(parsed->name, closest))
                closest = n;
        }
        return { {},
            u"the simulated fleet has no metric '%1' (did you mean '%2'? docs/vocabulary.md lists them all)"_s.arg(
                quoted(parsed->name), closest) };
    }
    Selector s { *parsed, {} };
    const bool namesService = std::any_of(s.expression.matchers.cbegin(), s.expression.matchers.cend(),
        [](const LabelMatcher &m) { return m.name == u"service"_s; });
    const QString scoped = query.scope.value(u"service"_s);
    if (!namesService && !scoped.isEmpty()) {
        QList<LabelMatcher> narrowed = s.expression.matchers;
        narrowed << LabelMatcher { u"service"_s, LabelMatcher::Op::Equal, scoped };
        if (!world.history().instant(s.expression.name, narrowed, world.now(), lookback).isEmpty())
            s.expression.matchers = narrowed;
    }
    return s;
}

} // namespace

SimulatedMetricSource::SimulatedMetricSource(World &world)
    : m_world(world)
    , m_timers(world.clock())
{
}

QString SimulatedMetricSource::name() const
{
    return u"simulator"_s;
}

void SimulatedMetricSource::query(const MetricQuery &query, std::function<void(const MetricResult &)> done)
{
    MetricResult result;
    const Selector s = parse(m_world, query);
    if (s.error.isEmpty()) {
        result.ok = true;
        for (const Sample &sample :
            m_world.history().instant(s.expression.name, s.expression.matchers, m_world.now(), lookback)) {
            if (!s.expression.comparator
                || compare(sample.value, *s.expression.comparator, s.expression.threshold.value))
                result.samples << sample;
        }
    } else {
        result.error = s.error;
    }
    m_timers.after(roundTrip, [done = std::move(done), result] { done(result); });
}

void SimulatedMetricSource::queryRange(const MetricQuery &query, TimePoint from, TimePoint to, Duration step,
    std::function<void(const RangeResult &)> done)
{
    RangeResult result;
    const Selector s = parse(m_world, query);
    if (!s.error.isEmpty()) {
        result.error = s.error;
    } else if (step <= Duration { 0 } || to < from) {
        result.error = u"a range query needs a positive step and from <= to (got step %1, %2 .. %3)"_s.arg(
            formatDuration(step), formatTime(from), formatTime(to));
    } else if ((to - from) / step + 1 > maxPoints) {
        result.error = u"a range of %1 at a step of %2 is more than %3 points per series: widen the step"_s
                           .arg(formatDuration(to - from), formatDuration(step))
                           .arg(maxPoints);
    } else {
        result.ok = true;
        result.series = m_world.history().range(s.expression.name, s.expression.matchers, from, to, step, lookback);
        if (s.expression.comparator) {
            for (RangeSeries &r : result.series) {
                r.points.removeIf([&](const std::pair<TimePoint, double> &p) {
                    return !compare(p.second, *s.expression.comparator, s.expression.threshold.value);
                });
            }
            result.series.removeIf([](const RangeSeries &r) { return r.points.isEmpty(); });
        }
    }
    m_timers.after(roundTrip, [done = std::move(done), result] { done(result); });
}

} // namespace antibody::sim
