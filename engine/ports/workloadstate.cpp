#include "engine/ports/workloadstate.h"

using namespace Qt::StringLiterals;

namespace antibody {

QString WorkloadRevision::text() const
{
    if (templateHash.isEmpty())
        return u"revision %1"_s.arg(number);
    return u"revision %1 (template %2)"_s.arg(number, templateHash);
}

} // namespace antibody
