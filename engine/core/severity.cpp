#include "engine/core/severity.h"

using namespace Qt::StringLiterals;

namespace antibody {

SeverityRank severityRank(QStringView severity)
{
    const QString s = severity.trimmed().toString().toLower();
    if (s == u"critical"_s || s == u"page"_s || s == u"emergency"_s)
        return SeverityRank::Critical;
    if (s == u"high"_s || s == u"error"_s || s == u"major"_s)
        return SeverityRank::High;
    if (s == u"warning"_s || s == u"medium"_s || s == u"minor"_s)
        return SeverityRank::Warning;
    if (s == u"low"_s)
        return SeverityRank::Low;
    if (s == u"info"_s || s == u"informational"_s || s == u"none"_s)
        return SeverityRank::Info;
    return SeverityRank::Unknown;
}

} // namespace antibody
