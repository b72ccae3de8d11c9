#pragma once

#include <QString>
#include <QStringView>

namespace antibody {

// Alert severities as Alertmanager and PagerDuty spell them, ranked for sorting
// and for deciding whether a page says something new:
// 0 is the most urgent. Unknown words sort after every known one.
enum class SeverityRank { Critical, High, Warning, Low, Info, Unknown };

SeverityRank severityRank(QStringView severity);

} // namespace antibody
