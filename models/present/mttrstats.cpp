#include "models/present/mttrstats.h"

#include <QList>
#include <algorithm>
#include <numeric>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

namespace antibody {
namespace {

std::optional<Duration> median(QList<Duration> values)
{
    if (values.isEmpty())
        return std::nullopt;
    std::sort(values.begin(), values.end());
    const qsizetype mid = values.size() / 2;
    if (values.size() % 2 == 1)
        return values.at(mid);
    return (values.at(mid - 1) + values.at(mid)) / 2;
}

} // namespace

const MttrBaseline &MttrStats::baseline(int level)
{
    static const std::array<MttrBaseline, levels> table { {
        { 0, 35min, 45min, u"25–45 min (≈35)"_s },
        { 1, 22min, 30min, u"15–30 min (≈22)"_s },
        { 2, 8min, 10min, u"5–10 min (≈8)"_s },
        { 3, 3min, 4min, u"under 4 min (≈3)"_s },
        { 4, 2min, 2min, u"under 2 min"_s },
    } };
    return table.at(static_cast<std::size_t>(std::clamp(level, 0, levels - 1)));
}

std::optional<int> MttrStats::record(const Incident &incident)
{
    std::optional<int> before;
    if (const auto it = m_entries.constFind(incident.id); it != m_entries.constEnd())
        before = it->level;
    if (incident.diagnostics.contains(u"grouped_into"_s)) {
        // Folded into the incident of its cause: that one's time counts, not this one's.
        m_entries.remove(incident.id);
        return before;
    }
    Entry entry;
    entry.level = std::clamp(incident.level, 0, levels - 1);
    if (incident.state == IncidentState::Resolved && incident.resolvedAt)
        entry.took = std::max(Duration { 0 }, *incident.resolvedAt - incident.detectedAt);
    entry.escalated = incident.state == IncidentState::Escalated || incident.state == IncidentState::Interrupted;
    m_entries.insert(incident.id, entry);
    return before;
}

MttrStats::Level MttrStats::level(int level) const
{
    Level out;
    out.level = level;
    QList<Duration> took;
    for (const Entry &e : m_entries) {
        if (e.level != level)
            continue;
        if (e.took) {
            took << *e.took;
            ++out.resolved;
        } else {
            ++out.unresolved;
            if (e.escalated)
                ++out.escalated;
        }
    }
    if (took.isEmpty())
        return out;
    out.median = median(took);
    out.mean = std::accumulate(took.cbegin(), took.cend(), Duration { 0 }) / took.size();
    out.slowest = *std::max_element(took.cbegin(), took.cend());
    return out;
}

std::optional<Duration> MttrStats::overallMedian() const
{
    QList<Duration> took;
    for (const Entry &e : m_entries) {
        if (e.took)
            took << *e.took;
    }
    return median(took);
}

int MttrStats::resolvedCount() const
{
    return static_cast<int>(
        std::count_if(m_entries.cbegin(), m_entries.cend(), [](const Entry &e) { return e.took.has_value(); }));
}

} // namespace antibody
