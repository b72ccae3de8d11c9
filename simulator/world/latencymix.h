#pragma once

#include <QList>

namespace antibody::sim {

// A latency distribution as a weighted mixture of shifted exponentials: each
// pod (and each path through a dependency) contributes requests that take at
// least `shift` seconds plus an exponential tail of mean `spread`. A service's
// p99 is the 99th percentile of the mixture, so one saturated pod among five
// shows in the p99 the way it does in production.
class LatencyMix
{
public:
    struct Component
    {
        double weight = 0;
        double shift = 0;
        double spread = 0;
    };

    void add(double weight, double shift, double spread);
    bool isEmpty() const { return m_components.isEmpty(); }
    const QList<Component> &components() const { return m_components; }

    // Every request of this mix also calls `callee` with probability `share`.
    LatencyMix calling(const LatencyMix &callee, double share) const;
    // The average latency; 0 when empty.
    double mean() const;
    // The latency below which `q` of the requests answered before `ceiling`
    // finish (q = 0.99 for p99); later ones were timed out, not answered. 0 when empty.
    double quantile(double q, double ceiling) const;
    // The share of the requests answered before `ceiling` that finished within
    // `seconds`: a histogram bucket's fraction. 1 when empty.
    double answeredWithin(double seconds, double ceiling) const;
    // Drops components whose weight is negligible.
    void prune(double minWeight);
    // Folds components that are nearly the same into one.
    void compact();

private:
    double total() const;
    double weightAbove(double seconds) const; // the weight of the requests slower than `seconds`

    QList<Component> m_components;
};

} // namespace antibody::sim
