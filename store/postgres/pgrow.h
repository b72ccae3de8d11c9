#pragma once

#include "connectors/postgres/pgconnection.h"
#include "engine/core/time.h"

#include <optional>

namespace antibody {

// One row of a result, read by column number as the store's columns are typed:
// BIGINT as a number, TEXT as text, NULL as "none".
class PgRow
{
public:
    PgRow(const PgRows &rows, qsizetype row)
        : m_rows(rows)
        , m_row(row)
    {
    }

    bool isNull(int column) const { return m_rows.nulls.at(m_row).at(column); }
    QString text(int column) const { return m_rows.rows.at(m_row).at(column); }
    qint64 integer(int column) const { return text(column).toLongLong(); }
    double real(int column) const { return text(column).toDouble(); }
    TimePoint time(int column) const { return fromMillis(integer(column)); }
    std::optional<qint64> optionalInteger(int column) const;
    std::optional<TimePoint> optionalTime(int column) const;

private:
    const PgRows &m_rows;
    qsizetype m_row;
};

} // namespace antibody
