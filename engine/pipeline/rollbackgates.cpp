#include "engine/pipeline/rollbackgates.h"

using namespace Qt::StringLiterals;

namespace antibody {

RollbackGates::Verdict RollbackGates::evaluate(const Observation &o) const
{
    Verdict v;
    auto ceiling = [&](const std::optional<double> &value, double max, const QString &name, bool percent) {
        if (!value) {
            v.unknown << name;
            return;
        }
        if (*value > max) {
            v.failing << (percent
                    ? u"%1 %2% is above the gate of %3%"_s.arg(name)
                          .arg(*value * 100, 0, 'f', 1)
                          .arg(max * 100, 0, 'f', 1)
                    : u"%1 %2 s is above the gate of %3 s"_s.arg(name).arg(*value, 0, 'f', 2).arg(max, 0, 'f', 2));
        }
    };
    ceiling(o.errorRate, maxErrorRate, u"error rate"_s, true);
    ceiling(o.p99Seconds, maxP99Seconds, u"p99 latency"_s, false);
    ceiling(o.rate5xx, max5xxRate, u"5xx rate"_s, true);
    if (minBusiness > 0) {
        if (!o.business)
            v.unknown << businessMetric;
        else if (*o.business < minBusiness)
            v.failing << u"%1 %2 is below the gate of %3"_s.arg(businessMetric)
                             .arg(*o.business, 0, 'f', 0)
                             .arg(minBusiness, 0, 'f', 0);
    }
    v.rollback = !v.failing.isEmpty();
    return v;
}

} // namespace antibody
