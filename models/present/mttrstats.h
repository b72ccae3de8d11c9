#pragma once

#include "engine/core/time.h"
#include "engine/domain/incident.h"

#include <QHash>
#include <QString>
#include <array>
#include <optional>

namespace antibody {

// Mean time to recovery, what DORA ties most closely to team effectiveness, per
// automation level, against the seed's baselines (docs/design.md, "Levels"):
// level 0 about 35 min (25-45), level 1 about 22 (15-30), level 2 about 8 (5-10),
// level 3 under 4, level 4 under 2; a manual fix of a known failure about 28 min.
struct MttrBaseline
{
    int level = 0;
    Duration typical { 0 };
    Duration target { 0 }; // the upper end of the seed's range: at or under it is on par
    QString text; // "25–45 min (≈35)"
};

class MttrStats
{
public:
    static constexpr int levels = 5;

    struct Level
    {
        int level = 0;
        int resolved = 0;
        int unresolved = 0; // open, waiting, running
        int escalated = 0; // handed to a human (counted in unresolved until resolved)
        std::optional<Duration> median;
        std::optional<Duration> mean;
        std::optional<Duration> slowest;
    };

    static const MttrBaseline &baseline(int level);
    static Duration manualBaseline() { return Duration { 28 * 60'000 }; }

    // Records (or re-records) an incident's latest state; returns the level it was
    // counted under before, if any, so a view can refresh both rows.
    std::optional<int> record(const Incident &incident);
    Level level(int level) const;
    // Over every resolved incident.
    std::optional<Duration> overallMedian() const;
    int resolvedCount() const;

private:
    struct Entry
    {
        int level = 0;
        std::optional<Duration> took;
        bool escalated = false;
    };
    QHash<QString, Entry> m_entries;
};

} // namespace antibody
