#include "models/present/humantime.h"

using namespace Qt::StringLiterals;

namespace antibody {

QString formatAge(Duration d)
{
    const qint64 total = std::max<qint64>(0, d.count() / 1000);
    const qint64 days = total / 86'400;
    const qint64 hours = (total % 86'400) / 3'600;
    const qint64 minutes = (total % 3'600) / 60;
    const qint64 seconds = total % 60;
    if (days > 0)
        return u"%1d %2h"_s.arg(days).arg(hours);
    if (hours > 0)
        return u"%1h %2m"_s.arg(hours).arg(minutes, 2, 10, QLatin1Char('0'));
    if (minutes > 0)
        return u"%1m %2s"_s.arg(minutes).arg(seconds, 2, 10, QLatin1Char('0'));
    return u"%1s"_s.arg(seconds);
}

QString formatClockTime(TimePoint t)
{
    return formatTime(t).mid(11, 8);
}

} // namespace antibody
