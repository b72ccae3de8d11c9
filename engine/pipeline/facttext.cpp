#include "engine/pipeline/facttext.h"

#include "engine/runbook/actioncatalog.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QString fractionAsPercent(double fraction)
{
    const double p = fraction * 100.0;
    if (std::abs(p) >= 1e6)
        return QString::number(p, 'g', 3) + u'%';
    if (p != 0 && std::abs(p) < 0.1)
        return QString::number(p, 'g', 1) + u'%'; // "0.01%", not a misleading "0%"
    QString text = QString::number(p, 'f', 1);
    if (text.endsWith(u".0"_s))
        text.chop(2);
    return text == u"-0"_s ? u"0%"_s : text + u'%';
}

} // namespace

QString factText(const QVariant &value)
{
    if (value.typeId() == QMetaType::Double || value.typeId() == QMetaType::Float) {
        const double v = value.toDouble();
        if (std::isnan(v))
            return u"NaN"_s;
        if (std::isinf(v))
            return v > 0 ? u"∞"_s : u"-∞"_s;
        // Whole numbers (counts, pids, timestamps) in full; measurements to four digits.
        if (std::abs(v) < 9.0e15 && v == std::floor(v))
            return QString::number(static_cast<qint64>(v));
        return QString::number(v, 'g', 4);
    }
    return value.toString();
}

QString measureText(double value, Measure::Kind unit)
{
    if (!std::isfinite(value))
        return factText(value);
    switch (unit) {
    case Measure::Kind::Percent:
        return fractionAsPercent(value);
    case Measure::Kind::Seconds:
        if (value != 0 && std::abs(value) < 1)
            return factText(value * 1000.0) + u" ms"_s;
        return factText(value) + u" s"_s;
    case Measure::Kind::Plain:
        break;
    }
    return factText(value);
}

QString spokenDuration(Duration d)
{
    const qint64 ms = d.count();
    const qint64 s = ms / 1000;
    const auto two = [](qint64 big, QStringView bigUnit, qint64 small, QStringView smallUnit) {
        const QString first = u"%1 %2"_s.arg(big).arg(bigUnit);
        return small == 0 ? first : u"%1 %2 %3"_s.arg(first).arg(small).arg(smallUnit);
    };
    if (std::abs(ms) < 1000)
        return u"%1 ms"_s.arg(ms);
    if (std::abs(s) < 60)
        return u"%1 s"_s.arg(s);
    if (std::abs(s) < 3600)
        return two(s / 60, u"min", s % 60, u"s");
    if (std::abs(s) < 86400)
        return two(s / 3600, u"h", s % 3600 / 60, u"min");
    return two(s / 86400, u"d", s % 86400 / 3600, u"h");
}

QString clippedText(const QString &text, qsizetype limit)
{
    const QString line = text.simplified();
    return line.size() > limit ? line.left(limit - 1) + u'…' : line;
}

bool isStepOutcomeFact(const QString &key)
{
    return key.contains(u'.') && ActionCatalog::outcomes().contains(key.section(u'.', -1));
}

} // namespace antibody
