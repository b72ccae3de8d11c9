#include "connectors/feed/feedmonitor.h"

#include <algorithm>
#include <utility>

using namespace Qt::StringLiterals;

namespace antibody {

FeedMonitor::FeedMonitor(QString feed, int downAfterFailures, Duration slowAfter)
    : m_downAfter(std::max(1, downAfterFailures))
    , m_slowAfter(slowAfter)
{
    m_health.feed = std::move(feed);
    // Until the first answer nothing is known, and nothing may rest on this feed's data.
    m_health.state = FeedHealth::State::Degraded;
    m_health.reason = u"no answer yet"_s;
}

std::optional<FeedHealth> FeedMonitor::succeeded(TimePoint at, Duration latency, const QString &shortfall)
{
    const int failuresBefore = m_failures;
    m_failures = 0;
    m_health.lastSuccess = at;
    if (!shortfall.isEmpty()) {
        m_short = true;
        return moveTo(FeedHealth::State::Degraded, shortfall);
    }
    if (latency > m_slowAfter) {
        return moveTo(FeedHealth::State::Degraded,
            u"slow: answered in %1, more than %2"_s.arg(formatDuration(latency), formatDuration(m_slowAfter)));
    }
    QString reason;
    if (failuresBefore > 0)
        reason = u"answering again after %1 failed %2"_s.arg(failuresBefore)
                     .arg(failuresBefore == 1 ? u"try"_s : u"tries"_s);
    else if (m_health.state != FeedHealth::State::Healthy && m_health.reason.startsWith(u"slow"_s))
        reason = u"answering in good time again"_s;
    else if (std::exchange(m_short, false))
        reason = u"complete again"_s;
    return moveTo(FeedHealth::State::Healthy, reason);
}

std::optional<FeedHealth> FeedMonitor::failed(TimePoint, const QString &reason)
{
    ++m_failures;
    if (m_failures >= m_downAfter) {
        return moveTo(FeedHealth::State::Down,
            u"%1 failed %2 in a row; last: %3"_s.arg(m_failures)
                .arg(m_failures == 1 ? u"try"_s : u"tries"_s)
                .arg(reason));
    }
    return moveTo(FeedHealth::State::Degraded, reason);
}

std::optional<FeedHealth> FeedMonitor::moveTo(FeedHealth::State state, QString reason)
{
    const bool changed = state != m_health.state;
    m_health.state = state;
    // The reason always tells the latest; only a change of state is news.
    m_health.reason = std::move(reason);
    if (!changed)
        return std::nullopt;
    return m_health;
}

} // namespace antibody
