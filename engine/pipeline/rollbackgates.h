#pragma once

#include <QList>
#include <QString>
#include <optional>

namespace antibody {

// Metric gates for a deploy, fixed before it starts (never during the incident):
// error rate, p99 latency and 5xx rate must stay below their ceilings and the
// business metric above its floor. Any failing gate triggers the rollback:
// error rate alone misses correct-looking 200s with wrong answers; the business
// metric catches those (docs/design.md, "Rollback").
struct RollbackGates
{
    double maxErrorRate = 0.02;
    double maxP99Seconds = 1.0;
    double max5xxRate = 0.01;
    double minBusiness = 0; // e.g. orders per minute; 0 disables the gate
    QString businessMetric = QStringLiteral("service:orders_created:per_minute");

    struct Observation
    {
        std::optional<double> errorRate;
        std::optional<double> p99Seconds;
        std::optional<double> rate5xx;
        std::optional<double> business;
    };
    struct Verdict
    {
        bool rollback = false;
        QList<QString> failing; // one line per failing gate
        QList<QString> unknown; // gates without data: never a reason to roll back, always said
    };

    Verdict evaluate(const Observation &o) const;
};

} // namespace antibody
