#include "engine/ports/metricsource.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace antibody {

MetricSource::~MetricSource() = default; // anchors the port's vtable in one object file

MetricQuery MetricQuery::selecting(const QString &metric, const Labels &scope)
{
    QStringList matchers;
    for (auto it = scope.cbegin(); it != scope.cend(); ++it)
        matchers << LabelMatcher { it.key(), LabelMatcher::Op::Equal, it.value() }.toString();
    return { matchers.isEmpty() ? metric : u"%1{%2}"_s.arg(metric, matchers.join(u',')), scope };
}

std::optional<TimePoint> MetricResult::newest() const
{
    std::optional<TimePoint> out;
    for (const Sample &s : samples) {
        if (!out || s.at > *out)
            out = s.at;
    }
    return out;
}

} // namespace antibody
