#include "engine/store/rowdigest.h"

#include "engine/store/sqlitestatement.h"

#include <sqlite3.h>

namespace antibody {

namespace {

// Netstring framing ("5:hello,"): no value can run into the next.
QByteArray framed(const QByteArray &bytes)
{
    return QByteArray::number(bytes.size()) + ':' + bytes + ',';
}

} // namespace

RowDigest::RowDigest()
    : m_hash(QCryptographicHash::Sha256)
{
}

void RowDigest::field(QStringView column, char type, const QByteArray &bytes)
{
    m_hash.addData(framed(column.toUtf8()));
    m_hash.addData(QByteArrayView(&type, 1));
    m_hash.addData(framed(bytes));
}

RowDigest &RowDigest::add(QStringView column, qint64 value)
{
    field(column, 'i', QByteArray::number(value));
    return *this;
}

RowDigest &RowDigest::add(QStringView column, const QString &value)
{
    field(column, 't', value.toUtf8());
    return *this;
}

RowDigest &RowDigest::add(QStringView column, double value)
{
    field(column, 'r', QByteArray::number(value, 'g', 17));
    return *this;
}

RowDigest &RowDigest::addRow(const SqliteStatement &row, QStringView skip)
{
    for (int c = 0; c < row.columnCount(); ++c) {
        const QString name = row.columnName(c);
        if (name == skip)
            continue;
        switch (row.columnType(c)) {
        case SQLITE_INTEGER:
            add(name, row.integer(c));
            break;
        case SQLITE_FLOAT:
            add(name, row.real(c));
            break;
        case SQLITE_TEXT:
            add(name, row.text(c));
            break;
        case SQLITE_BLOB:
            field(name, 'b', row.bytes(c));
            break;
        default: // NULL
            break;
        }
    }
    return *this;
}

QString RowDigest::hex() const
{
    return QString::fromLatin1(m_hash.result().toHex());
}

} // namespace antibody
