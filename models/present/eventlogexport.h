#pragma once

#include "engine/domain/engineevent.h"

#include <QList>
#include <QString>
#include <optional>

namespace antibody {

// Writes the events the console's log shows to a file for a post-incident review or
// a ticket. Runs on a worker thread (it touches the disk); the file appears complete
// or not at all. The stored audit trail, with its hash chain, is AuditExport's
// (engine/store): a distinct name, because both are linked into one test binary.
struct EventLogExport
{
    enum class Format { JsonLines, Csv };

    struct Result
    {
        bool ok = false;
        int written = 0;
        QString error; // what went wrong and what to do
    };

    // .csv is CSV; .jsonl, .ndjson and .json are JSON Lines; anything else: nullopt.
    static std::optional<Format> formatFor(const QString &path);
    static Result write(const QList<EngineEvent> &events, const QString &path, Format format);

    // One event as an export line (without the newline).
    static QByteArray jsonLine(const EngineEvent &event);
    static QByteArray csvLine(const EngineEvent &event);
    static QByteArray csvHeader();
};

} // namespace antibody
