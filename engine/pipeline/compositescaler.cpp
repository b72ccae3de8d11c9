#include "engine/pipeline/compositescaler.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace antibody {

CompositeScaler::CompositeScaler(Thresholds thresholds)
    : m_t(thresholds)
{
}

CompositeScaler::Decision CompositeScaler::observe(const Reading &r, int replicas)
{
    QStringList high;
    if (r.cpu > m_t.cpuHigh)
        high << u"CPU %1% > %2%"_s.arg(qRound(r.cpu * 100)).arg(qRound(m_t.cpuHigh * 100));
    if (r.queue > m_t.queueHigh)
        high << u"queue %1 > %2"_s.arg(r.queue).arg(m_t.queueHigh);
    if (r.p99 > m_t.p99High)
        high << u"p99 %1 s > %2 s"_s.arg(r.p99).arg(m_t.p99High);
    const bool allLow = r.cpu < m_t.cpuLow && r.queue < m_t.queueLow && r.p99 < m_t.p99Low;

    if (!allLow)
        m_allLowSince.reset();
    else if (!m_allLowSince)
        m_allLowSince = r.at;

    const bool inCooldown = m_lastScale && r.at - *m_lastScale < m_t.outCooldown;
    if (!high.isEmpty()) {
        if (replicas >= m_t.maxReplicas)
            return { 0,
                u"%1, but already at the maximum of %2 replicas"_s.arg(high.join(u", "_s)).arg(m_t.maxReplicas) };
        if (inCooldown)
            return { 0,
                u"%1, but within the %2 cooldown after the last scale-out"_s.arg(
                    high.join(u", "_s), formatDuration(m_t.outCooldown)) };
        m_lastScale = r.at;
        return { +1, u"scale out by 1: %1"_s.arg(high.join(u", "_s)) };
    }
    if (replicas < m_t.minReplicas) {
        m_lastScale = r.at;
        return { +1, u"below the minimum of %1 replicas"_s.arg(m_t.minReplicas) };
    }
    if (allLow && r.at - *m_allLowSince >= m_t.inSustain) {
        if (replicas <= m_t.minReplicas)
            return { 0, u"all metrics low, but already at the minimum of %1 replicas"_s.arg(m_t.minReplicas) };
        if (inCooldown)
            return { 0, u"all metrics low, but within the cooldown after the last change"_s };
        m_lastScale = r.at;
        m_allLowSince = r.at; // another full sustain window before the next step down
        return { -1, u"scale in by 1: CPU, queue and p99 all low for %1"_s.arg(formatDuration(m_t.inSustain)) };
    }
    return { 0,
        allLow ? u"all metrics low for %1 of the %2 needed"_s.arg(
            formatDuration(r.at - *m_allLowSince), formatDuration(m_t.inSustain))
               : u"within thresholds"_s };
}

} // namespace antibody
