#include "store/postgres/pgrow.h"

namespace antibody {

std::optional<qint64> PgRow::optionalInteger(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<qint64>(integer(column));
}

std::optional<TimePoint> PgRow::optionalTime(int column) const
{
    return isNull(column) ? std::nullopt : std::optional<TimePoint>(time(column));
}

} // namespace antibody
