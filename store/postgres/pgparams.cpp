#include "store/postgres/pgparams.h"

using namespace Qt::StringLiterals;

namespace antibody {

PgParams &PgParams::operator<<(const QString &text)
{
    // libpq sends a null pointer as SQL NULL: an unset QString must still be a text.
    m_values << (text.isNull() ? u""_s : text);
    return *this;
}

PgParams &PgParams::operator<<(qint64 number)
{
    m_values << QString::number(number);
    return *this;
}

PgParams &PgParams::operator<<(double number)
{
    // Seventeen significant digits: the double reads back bit for bit, so its digest does too.
    m_values << QString::number(number, 'g', 17);
    return *this;
}

PgParams &PgParams::operator<<(Null)
{
    m_values << QString();
    return *this;
}

PgParams &PgParams::operator<<(const std::optional<qint64> &number)
{
    return number ? *this << *number : *this << Null {};
}

PgParams &PgParams::operator<<(const std::optional<double> &number)
{
    return number ? *this << *number : *this << Null {};
}

PgParams &PgParams::operator<<(const std::optional<TimePoint> &at)
{
    return at ? *this << toMillis(*at) : *this << Null {};
}

PgParams &PgParams::textOrNull(const QString &text)
{
    return text.isEmpty() ? *this << Null {} : *this << text;
}

int PgParams::firstUnstorable() const
{
    for (qsizetype i = 0; i < m_values.size(); ++i) {
        if (m_values.at(i).contains(QChar(u'\0')))
            return int(i + 1);
    }
    return 0;
}

} // namespace antibody
