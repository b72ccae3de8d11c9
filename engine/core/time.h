#pragma once

#include <QString>
#include <QStringView>
#include <chrono>
#include <optional>

namespace antibody {

// All engine time is milliseconds on the system clock's epoch. Real and virtual
// clocks both hand out these values, so a timeline reads the same either way.
using Duration = std::chrono::milliseconds;
using TimePoint = std::chrono::sys_time<Duration>;

// "300s", "5m", "1h30m", "250ms", "2d". Whole units only; at least one unit.
std::optional<Duration> parseDuration(QStringView text);

// The shortest exact form: 90000 ms -> "1m30s", 250 ms -> "250ms", 0 -> "0s".
QString formatDuration(Duration d);

// ISO 8601 in UTC with milliseconds: "2026-11-28T03:04:05.123Z".
QString formatTime(TimePoint t);
std::optional<TimePoint> parseTime(QStringView iso);

inline qint64 toMillis(TimePoint t)
{
    return t.time_since_epoch().count();
}
inline TimePoint fromMillis(qint64 ms)
{
    return TimePoint { Duration { ms } };
}
inline double toSeconds(Duration d)
{
    return static_cast<double>(d.count()) / 1000.0;
}

} // namespace antibody
