#include "engine/runbook/comparator.h"

using namespace Qt::StringLiterals;

namespace antibody {

std::optional<Comparator> parseComparator(QStringView text)
{
    if (text == u">")
        return Comparator::Greater;
    if (text == u">=")
        return Comparator::GreaterEqual;
    if (text == u"<")
        return Comparator::Less;
    if (text == u"<=")
        return Comparator::LessEqual;
    if (text == u"==")
        return Comparator::Equal;
    if (text == u"!=")
        return Comparator::NotEqual;
    return std::nullopt;
}

QString comparatorText(Comparator c)
{
    switch (c) {
    case Comparator::Greater:
        return u">"_s;
    case Comparator::GreaterEqual:
        return u">="_s;
    case Comparator::Less:
        return u"<"_s;
    case Comparator::LessEqual:
        return u"<="_s;
    case Comparator::Equal:
        return u"=="_s;
    case Comparator::NotEqual:
        return u"!="_s;
    }
    return {};
}

bool compare(double lhs, Comparator c, double rhs)
{
    switch (c) {
    case Comparator::Greater:
        return lhs > rhs;
    case Comparator::GreaterEqual:
        return lhs >= rhs;
    case Comparator::Less:
        return lhs < rhs;
    case Comparator::LessEqual:
        return lhs <= rhs;
    case Comparator::Equal:
        return lhs == rhs;
    case Comparator::NotEqual:
        return lhs != rhs;
    }
    return false;
}

} // namespace antibody
