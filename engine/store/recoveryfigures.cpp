#include "engine/store/recoveryfigures.h"

#include <QMap>
#include <algorithm>
#include <cmath>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

// Nearest-rank percentile: the smallest value with at least `p` of the values at or below it.
Duration percentile(const QList<Duration> &sorted, double p)
{
    const auto rank = static_cast<qsizetype>(std::ceil(p * static_cast<double>(sorted.size())));
    return sorted.at(std::clamp<qsizetype>(rank - 1, 0, sorted.size() - 1));
}

template <typename Key> QList<RecoveryFigures> grouped(const QList<IncidentTimes> &times, Key key)
{
    QMap<QString, QList<IncidentTimes>> groups;
    for (const IncidentTimes &t : times)
        groups[key(t)] << t;
    QList<RecoveryFigures> out;
    for (auto it = groups.cbegin(); it != groups.cend(); ++it)
        out << RecoveryFigures::of(it.key(), it.value());
    return out;
}

} // namespace

RecoveryFigures::Summary RecoveryFigures::Summary::of(QList<Duration> durations)
{
    Summary s;
    s.count = static_cast<int>(durations.size());
    if (durations.isEmpty())
        return s;
    std::sort(durations.begin(), durations.end());
    Duration total { 0 };
    for (const Duration d : durations)
        total += d;
    s.mean = total / durations.size();
    s.median = percentile(durations, 0.5);
    s.p90 = percentile(durations, 0.9);
    s.worst = durations.back();
    return s;
}

QJsonObject RecoveryFigures::Summary::toJson() const
{
    if (count == 0)
        return { { u"count"_s, 0 } };
    return {
        { u"count"_s, count },
        { u"mean_seconds"_s, toSeconds(mean) },
        { u"median_seconds"_s, toSeconds(median) },
        { u"p90_seconds"_s, toSeconds(p90) },
        { u"worst_seconds"_s, toSeconds(worst) },
    };
}

RecoveryFigures RecoveryFigures::of(const QString &group, const QList<IncidentTimes> &times)
{
    RecoveryFigures f;
    f.group = group;
    f.incidents = static_cast<int>(times.size());
    QList<Duration> detect, propose, approve, resolve;
    for (const IncidentTimes &t : times) {
        if (t.resolvedAt)
            ++f.resolved;
        if (t.state == IncidentState::Escalated)
            ++f.escalated;
        if (const auto d = t.timeToDetect())
            detect << *d;
        if (const auto d = t.timeToPropose())
            propose << *d;
        if (const auto d = t.timeToApprove())
            approve << *d;
        if (const auto d = t.timeToResolve())
            resolve << *d;
    }
    f.detect = Summary::of(detect);
    f.propose = Summary::of(propose);
    f.approve = Summary::of(approve);
    f.resolve = Summary::of(resolve);
    return f;
}

QList<RecoveryFigures> RecoveryFigures::byRunbook(const QList<IncidentTimes> &times)
{
    return grouped(times, [](const IncidentTimes &t) { return t.runbook.isEmpty() ? u"(no runbook)"_s : t.runbook; });
}

QList<RecoveryFigures> RecoveryFigures::byLevel(const QList<IncidentTimes> &times)
{
    return grouped(times, [](const IncidentTimes &t) { return u"level %1"_s.arg(t.level); });
}

QJsonObject RecoveryFigures::toJson() const
{
    return {
        { u"group"_s, group },
        { u"incidents"_s, incidents },
        { u"resolved"_s, resolved },
        { u"escalated"_s, escalated },
        { u"time_to_detect"_s, detect.toJson() },
        { u"time_to_propose"_s, propose.toJson() },
        { u"time_to_approve"_s, approve.toJson() },
        { u"time_to_resolve"_s, resolve.toJson() },
    };
}

} // namespace antibody
