#include "engine/runbook/measure.h"

#include "engine/core/time.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace antibody {

std::optional<Measure> Measure::parse(QStringView text)
{
    const QStringView trimmed = text.trimmed();
    if (trimmed.isEmpty() || trimmed.size() > 64)
        return std::nullopt;
    Measure m;
    m.text = trimmed.toString();
    bool ok = false;
    if (trimmed.endsWith(u'%')) {
        const double v = trimmed.chopped(1).trimmed().toDouble(&ok);
        if (!ok || !std::isfinite(v))
            return std::nullopt;
        m.kind = Kind::Percent;
        m.value = v / 100.0;
        return m;
    }
    // "4.2s" allows a fraction, which parseDuration (whole units) does not.
    if (trimmed.endsWith(u"ms"_s) || trimmed.endsWith(u's') || trimmed.endsWith(u'm') || trimmed.endsWith(u'h')) {
        const double plain = trimmed.chopped(trimmed.endsWith(u"ms"_s) ? 2 : 1).toDouble(&ok);
        if (ok && std::isfinite(plain)) {
            const double scale = trimmed.endsWith(u"ms"_s) ? 0.001
                : trimmed.endsWith(u's')                   ? 1.0
                : trimmed.endsWith(u'm')                   ? 60.0
                                                           : 3600.0;
            m.kind = Kind::Seconds;
            m.value = plain * scale;
            return m;
        }
        if (const auto d = parseDuration(trimmed)) {
            m.kind = Kind::Seconds;
            m.value = toSeconds(*d);
            return m;
        }
        return std::nullopt;
    }
    const double v = trimmed.toDouble(&ok);
    if (!ok || !std::isfinite(v))
        return std::nullopt;
    m.value = v;
    return m;
}

int Cap::allowed(int fleetSize) const
{
    if (fleetSize <= 0)
        return 0;
    if (unit == Unit::Absolute)
        return std::clamp(static_cast<int>(value), 0, fleetSize);
    // floor with a small epsilon: 15% of 20 is exactly 3, not 2.9999
    const int share = static_cast<int>(std::floor(value * fleetSize + 1e-9));
    return std::clamp(share, 1, fleetSize);
}

std::optional<Cap> Cap::parse(QStringView text)
{
    const auto m = Measure::parse(text);
    if (!m)
        return std::nullopt;
    Cap cap;
    cap.text = m->text;
    if (m->kind == Measure::Kind::Percent) {
        if (m->value <= 0 || m->value > 1.0)
            return std::nullopt;
        cap.unit = Unit::Percent;
        cap.value = m->value;
        return cap;
    }
    if (m->kind != Measure::Kind::Plain || m->value < 1 || m->value != std::floor(m->value) || m->value > 1e6)
        return std::nullopt;
    cap.unit = Unit::Absolute;
    cap.value = m->value;
    return cap;
}

} // namespace antibody
