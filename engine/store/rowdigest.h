#pragma once

#include <QByteArray>
#include <QCryptographicHash>
#include <QString>
#include <QStringView>

namespace antibody {

class SqliteStatement;

// SHA-256 over a row's columns as stored: each non-NULL column contributes its
// name, its SQLite type and its value, length-prefixed, in column order. NULL
// columns contribute nothing, so a later migration that adds a column (default
// NULL) leaves the digests of older rows, and the audit chain, intact.
class RowDigest
{
public:
    RowDigest();

    RowDigest &add(QStringView column, qint64 value);
    RowDigest &add(QStringView column, const QString &value);
    RowDigest &add(QStringView column, double value);
    // Every column of the statement's current row, except `skip`.
    RowDigest &addRow(const SqliteStatement &row, QStringView skip = {});

    QString hex() const;

private:
    void field(QStringView column, char type, const QByteArray &bytes);

    QCryptographicHash m_hash;
};

} // namespace antibody
