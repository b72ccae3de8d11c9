#include "engine/core/time.h"

#include <QDateTime>
#include <array>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

struct Unit
{
    QStringView suffix;
    qint64 millis;
};

// Longest suffix first so that "ms" is not read as "m" followed by garbage.
constexpr std::array units {
    Unit { u"ms", 1 },
    Unit { u"d", 86'400'000 },
    Unit { u"h", 3'600'000 },
    Unit { u"m", 60'000 },
    Unit { u"s", 1'000 },
};

} // namespace

std::optional<Duration> parseDuration(QStringView text)
{
    text = text.trimmed();
    if (text.isEmpty())
        return std::nullopt;
    qint64 total = 0;
    qsizetype i = 0;
    qint64 lastUnit = std::numeric_limits<qint64>::max();
    while (i < text.size()) {
        const qsizetype digitsStart = i;
        while (i < text.size() && text[i].isDigit())
            ++i;
        if (i == digitsStart || i - digitsStart > 12)
            return std::nullopt;
        const qint64 amount = text.mid(digitsStart, i - digitsStart).toLongLong();
        const Unit *unit = nullptr;
        for (const Unit &u : units) {
            if (text.mid(i).startsWith(u.suffix)) {
                unit = &u;
                break;
            }
        }
        if (!unit || unit->millis >= lastUnit) // units must be given largest first, once each
            return std::nullopt;
        lastUnit = unit->millis;
        i += unit->suffix.size();
        if (amount > std::numeric_limits<qint64>::max() / unit->millis - total / unit->millis - 1)
            return std::nullopt;
        total += amount * unit->millis;
    }
    return Duration { total };
}

QString formatDuration(Duration d)
{
    qint64 ms = d.count();
    if (ms == 0)
        return u"0s"_s;
    QString out;
    if (ms < 0) {
        out += u'-';
        ms = -ms;
    }
    for (const Unit &u : { units[1], units[2], units[3], units[4], units[0] }) {
        if (ms >= u.millis) {
            out += QString::number(ms / u.millis) + u.suffix.toString();
            ms %= u.millis;
        }
    }
    return out;
}

QString formatTime(TimePoint t)
{
    return QDateTime::fromMSecsSinceEpoch(toMillis(t), Qt::UTC).toString(Qt::ISODateWithMs);
}

std::optional<TimePoint> parseTime(QStringView iso)
{
    const QDateTime dt = QDateTime::fromString(iso.toString(), Qt::ISODateWithMs);
    if (!dt.isValid())
        return std::nullopt;
    return fromMillis(dt.toMSecsSinceEpoch());
}

} // namespace antibody
