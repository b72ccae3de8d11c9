#pragma once

#include "engine/core/time.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace antibody {

// The parameters of one statement ($1, $2...), as libpq's text format: values never
// become SQL text. A null QString is an empty text, never SQL NULL by accident (the
// columns that may be NULL say so with null() or an empty optional).
class PgParams
{
public:
    struct Null
    {
    };

    PgParams &operator<<(const QString &text);
    PgParams &operator<<(qint64 number);
    PgParams &operator<<(int number) { return *this << qint64(number); }
    PgParams &operator<<(double number);
    PgParams &operator<<(TimePoint at) { return *this << toMillis(at); }
    PgParams &operator<<(Null);
    PgParams &operator<<(const std::optional<qint64> &number);
    PgParams &operator<<(const std::optional<double> &number);
    PgParams &operator<<(const std::optional<TimePoint> &at);
    // An empty text as SQL NULL (an incident without a proposal, an execution without a lease).
    PgParams &textOrNull(const QString &text);

    const QStringList &values() const { return m_values; }
    // The position (1-based) of the first value PostgreSQL's text cannot hold (a NUL
    // character); 0 when there is none.
    int firstUnstorable() const;

private:
    QStringList m_values;
};

} // namespace antibody
