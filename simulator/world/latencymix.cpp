#include "simulator/world/latencymix.h"

#include <algorithm>
#include <cmath>

namespace antibody::sim {

void LatencyMix::add(double weight, double shift, double spread)
{
    if (weight > 0)
        m_components << Component { weight, std::max(0.0, shift), std::max(1e-6, spread) };
}

LatencyMix LatencyMix::calling(const LatencyMix &callee, double share) const
{
    if (callee.isEmpty() || share <= 0)
        return *this;
    double calleeTotal = 0;
    for (const Component &d : callee.m_components)
        calleeTotal += d.weight;
    LatencyMix out;
    out.m_components.reserve(m_components.size() * (callee.m_components.size() + 1));
    for (const Component &c : m_components) {
        out.add(c.weight * (1.0 - share), c.shift, c.spread);
        for (const Component &d : callee.m_components) {
            // The sum of two exponential tails is not exponential; the larger mean is close enough for a p99.
            out.add(c.weight * share * d.weight / calleeTotal, c.shift + d.shift, std::max(c.spread, d.spread));
        }
    }
    out.prune(1e-4);
    out.compact();
    return out;
}

void LatencyMix::compact()
{
    // Healthy pods of one service all look alike: folding near-identical components keeps
    // a caller's mix (the gateway calls three services that call others) a few dozen long.
    std::sort(m_components.begin(), m_components.end(), [](const Component &a, const Component &b) {
        return a.shift < b.shift || (a.shift == b.shift && a.spread < b.spread);
    });
    QList<Component> folded;
    folded.reserve(m_components.size());
    for (const Component &c : std::as_const(m_components)) {
        if (!folded.isEmpty()) {
            Component &last = folded.back();
            const bool close = c.shift - last.shift <= 0.01 + 0.02 * last.shift
                && std::abs(c.spread - last.spread) <= 0.05 * std::max(c.spread, last.spread);
            if (close) {
                const double w = last.weight + c.weight;
                last.shift = (last.shift * last.weight + c.shift * c.weight) / w;
                last.spread = (last.spread * last.weight + c.spread * c.weight) / w;
                last.weight = w;
                continue;
            }
        }
        folded << c;
    }
    m_components = std::move(folded);
}

double LatencyMix::mean() const
{
    double weight = 0;
    double sum = 0;
    for (const Component &c : m_components) {
        weight += c.weight;
        sum += c.weight * (c.shift + c.spread);
    }
    return weight > 0 ? sum / weight : 0.0;
}

double LatencyMix::quantile(double q, double ceiling) const
{
    if (m_components.isEmpty())
        return 0;
    const double all = total();
    const double late = weightAbove(ceiling);
    if (all - late <= all * 1e-9)
        return ceiling; // nothing finishes in time
    // Among the answered requests (those under the ceiling), the share `1 - q` slowest.
    const double tail = (1.0 - q) * (all - late) + late;
    double low = 0;
    double high = ceiling;
    for (int i = 0; i < 28; ++i) { // 28 halvings of at most a few seconds: well below a millisecond
        const double mid = (low + high) / 2;
        (weightAbove(mid) > tail ? low : high) = mid;
    }
    return high;
}

double LatencyMix::answeredWithin(double seconds, double ceiling) const
{
    const double answered = total() - weightAbove(ceiling);
    if (answered <= 0)
        return 1.0;
    const double within = total() - weightAbove(std::min(seconds, ceiling));
    return std::clamp(within / answered, 0.0, 1.0);
}

double LatencyMix::total() const
{
    double sum = 0;
    for (const Component &c : m_components)
        sum += c.weight;
    return sum;
}

double LatencyMix::weightAbove(double seconds) const
{
    double sum = 0;
    for (const Component &c : m_components)
        sum += seconds <= c.shift ? c.weight : c.weight * std::exp(-(seconds - c.shift) / c.spread);
    return sum;
}

void LatencyMix::prune(double minWeight)
{
    const double all = total();
    const auto removed = std::remove_if(
        m_components.begin(), m_components.end(), [&](const Component &c) { return c.weight < minWeight * all; });
    m_components.erase(removed, m_components.end());
}

} // namespace antibody::sim
