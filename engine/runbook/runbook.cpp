#include "engine/runbook/runbook.h"

using namespace Qt::StringLiterals;

namespace antibody {

QString confidenceText(Confidence c)
{
    switch (c) {
    case Confidence::Low:
        return u"low"_s;
    case Confidence::Medium:
        return u"medium"_s;
    case Confidence::High:
        return u"high"_s;
    }
    return {};
}

QString paramTypeText(ParamType t)
{
    switch (t) {
    case ParamType::String:
        return u"string"_s;
    case ParamType::Integer:
        return u"integer"_s;
    case ParamType::Number:
        return u"number"_s;
    case ParamType::Bool:
        return u"boolean"_s;
    case ParamType::Duration:
        return u"duration"_s;
    case ParamType::Percent:
        return u"percent"_s;
    case ParamType::Threshold:
        return u"threshold"_s;
    case ParamType::Count:
        return u"count"_s;
    case ParamType::Metric:
        return u"metric"_s;
    case ParamType::Enum:
        return u"enum"_s;
    case ParamType::StringList:
        return u"list of strings"_s;
    case ParamType::StringMap:
        return u"map of strings"_s;
    }
    return {};
}

} // namespace antibody
