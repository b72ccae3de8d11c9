#pragma once

#include <QTextStream>

namespace antibody {

class SqliteDatabase;

// Writes the audit trail out, oldest row first, exactly as stored (secrets were
// redacted before anything was stored). CSV follows RFC 4180; JSON is an array of
// objects whose `data` is the event's structured payload.
class AuditExport
{
public:
    enum class Format { Csv, Json };

    struct Options
    {
        Format format = Format::Csv;
        bool eventsOnly = false; // leave out the record seals
    };

    // Returns the number of rows written.
    static qint64 write(SqliteDatabase &db, const Options &options, QTextStream &out);
};

} // namespace antibody
