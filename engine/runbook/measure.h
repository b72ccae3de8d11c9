#pragma once

#include <QString>
#include <QStringView>
#include <optional>

namespace antibody {

// A number as a runbook writes it: "90%", "4.2s", "800ms", "0.7", "120".
// Percentages become fractions (90% -> 0.9) because utilization metrics are
// ratios; durations become seconds because latency metrics are in seconds.
struct Measure
{
    enum class Kind { Plain, Percent, Seconds };

    double value = 0;
    Kind kind = Kind::Plain;
    QString text; // as written, for explanations

    static std::optional<Measure> parse(QStringView text);
};

// A blast-radius cap: "15%" of the fleet, or an absolute number of targets.
struct Cap
{
    enum class Unit { Percent, Absolute };

    Unit unit = Unit::Absolute;
    double value = 0; // fraction for Percent (0.15), count for Absolute
    QString text;

    // How many of `fleetSize` targets one cycle may touch: floor of the share,
    // and at least one when the fleet is not empty (a 10% cap on 5 pods is 1 pod).
    int allowed(int fleetSize) const;
    // "15%" or "2"
    static std::optional<Cap> parse(QStringView text);
};

} // namespace antibody
