#include "simulator/world/database.h"

using namespace Qt::StringLiterals;

namespace antibody::sim {

const DbInstance *Database::primary() const
{
    for (const DbInstance &i : instances) {
        if (i.role == u"primary"_s)
            return &i;
    }
    return nullptr;
}

} // namespace antibody::sim
