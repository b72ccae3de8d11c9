#include "models/present/eventlogexport.h"

#include "engine/core/csvfield.h"
#include "engine/store/redaction.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace antibody {

std::optional<EventLogExport::Format> EventLogExport::formatFor(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"csv"_s)
        return Format::Csv;
    if (suffix == u"jsonl"_s || suffix == u"ndjson"_s || suffix == u"json"_s)
        return Format::JsonLines;
    return std::nullopt;
}

QByteArray EventLogExport::jsonLine(const EngineEvent &event)
{
    const QJsonObject o {
        { u"at"_s, formatTime(event.at) },
        { u"kind"_s, event.kindName() },
        { u"incident"_s, event.incidentId },
        { u"detail"_s, Redaction::text(event.detail) },
        { u"data"_s, Redaction::object(event.data) },
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray EventLogExport::csvHeader()
{
    return "at,kind,incident,detail,data";
}

QByteArray EventLogExport::csvLine(const EngineEvent &event)
{
    const QString data = QString::fromUtf8(QJsonDocument(Redaction::object(event.data)).toJson(QJsonDocument::Compact));
    return csvRecord({ formatTime(event.at), event.kindName(), event.incidentId, Redaction::text(event.detail), data })
        .toUtf8();
}

EventLogExport::Result EventLogExport::write(const QList<EngineEvent> &events, const QString &path, Format format)
{
    Result result;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        result.error = QCoreApplication::translate("EventLogExport", "Could not write %1: %2. Choose another folder.")
                           .arg(path, file.errorString());
        return result;
    }
    if (format == Format::Csv)
        file.write(csvHeader() + "\r\n");
    for (const EngineEvent &event : events) {
        file.write(format == Format::Csv ? csvLine(event) + "\r\n" : jsonLine(event) + '\n');
        ++result.written;
    }
    if (!file.commit()) {
        result.error = QCoreApplication::translate("EventLogExport",
            "Could not finish writing %1: %2. Nothing was written; "
            "check the free space and try again.")
                           .arg(path, file.errorString());
        result.written = 0;
        return result;
    }
    result.ok = true;
    return result;
}

} // namespace antibody
