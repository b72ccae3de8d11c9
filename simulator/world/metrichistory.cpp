#include "simulator/world/metrichistory.h"

#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody::sim {
namespace {

QString canonical(const Labels &labels)
{
    QString key;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        key += it.key() + u'\x1f' + it.value() + u'\x1e';
    return key;
}

} // namespace

MetricHistory::MetricHistory(Duration retention)
    : m_retention(retention)
{
}

void MetricHistory::record(const QList<Sample> &scrape, TimePoint at)
{
    for (const Sample &s : scrape) {
        const QString key = canonical(s.labels);
        auto it = m_index.constFind(key);
        if (it == m_index.constEnd()) {
            it = m_index.insert(key, static_cast<qsizetype>(m_series.size()));
            m_series.push_back(Series { s.labels, {} });
            m_byName[s.labels.value(u"__name__"_s)] << *it;
        }
        auto &points = m_series[*it].points;
        points.emplace_back(s.at, s.value);
        while (!points.empty() && at - points.front().first > m_retention)
            points.pop_front();
    }
    m_lastScrape = at;
}

const std::pair<TimePoint, double> *MetricHistory::pointAt(const Series &series, TimePoint at, Duration lookback)
{
    const auto after = std::upper_bound(series.points.cbegin(), series.points.cend(), at,
        [](TimePoint t, const std::pair<TimePoint, double> &p) { return t < p.first; });
    if (after == series.points.cbegin())
        return nullptr;
    const auto &p = *std::prev(after);
    return at - p.first <= lookback ? &p : nullptr;
}

QList<const MetricHistory::Series *> MetricHistory::matching(
    const QString &name, const QList<LabelMatcher> &matchers) const
{
    QList<const Series *> out;
    for (qsizetype i : m_byName.value(name)) {
        if (matchesAll(matchers, m_series[i].labels))
            out << &m_series[i];
    }
    return out;
}

QList<Sample> MetricHistory::instant(
    const QString &name, const QList<LabelMatcher> &matchers, TimePoint at, Duration lookback) const
{
    QList<Sample> out;
    for (const Series *s : matching(name, matchers)) {
        if (const auto *p = pointAt(*s, at, lookback))
            out << Sample { s->labels, p->second, p->first };
    }
    return out;
}

QList<RangeSeries> MetricHistory::range(const QString &name, const QList<LabelMatcher> &matchers, TimePoint from,
    TimePoint to, Duration step, Duration lookback) const
{
    QList<RangeSeries> out;
    for (const Series *s : matching(name, matchers)) {
        RangeSeries r { s->labels, {} };
        for (TimePoint t = from; t <= to; t += step) {
            if (const auto *p = pointAt(*s, t, lookback))
                r.points << std::pair { t, p->second };
        }
        if (!r.points.isEmpty())
            out << r;
    }
    return out;
}

} // namespace antibody::sim
