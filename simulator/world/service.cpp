#include "simulator/world/service.h"

using namespace Qt::StringLiterals;

namespace antibody::sim {

QString Service::rollbackTarget(const QString &asked) const
{
    if (!asked.isEmpty() && asked != u"previous"_s)
        return asked;
    return rolloutTo.isEmpty() ? previousVersion : currentVersion;
}

} // namespace antibody::sim
