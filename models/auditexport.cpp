#include "models/auditexport.h"

#include "engine/core/csvfield.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// The engine promises events without secrets. An export leaves the machine, so
// it checks again: a value under a key that names a secret is never written.
bool namesSecret(const QString &key)
{
    static const QStringList words { u"password"_s, u"passwd"_s, u"secret"_s, u"token"_s, u"authorization"_s,
        u"api_key"_s, u"apikey"_s, u"routing_key"_s, u"private_key"_s, u"credential"_s };
    const QString lower = key.toLower();
    return std::any_of(words.cbegin(), words.cend(), [&lower](const QString &w) { return lower.contains(w); });
}

QJsonValue redacted(const QJsonValue &value);

QJsonObject redacted(const QJsonObject &object)
{
    QJsonObject out;
    for (auto it = object.constBegin(); it != object.constEnd(); ++it)
        out.insert(it.key(), namesSecret(it.key()) ? QJsonValue(u"[redacted]"_s) : redacted(it.value()));
    return out;
}

QJsonValue redacted(const QJsonValue &value)
{
    if (value.isObject())
        return redacted(value.toObject());
    if (value.isArray()) {
        QJsonArray out;
        for (const QJsonValue &v : value.toArray())
            out.append(redacted(v));
        return out;
    }
    return value;
}

QByteArray csvCell(const QString &text)
{
    return csvField(text).toUtf8();
}

} // namespace

std::optional<AuditExport::Format> AuditExport::formatFor(const QString &path)
{
    const QString suffix = QFileInfo(path).suffix().toLower();
    if (suffix == u"csv"_s)
        return Format::Csv;
    if (suffix == u"jsonl"_s || suffix == u"ndjson"_s || suffix == u"json"_s)
        return Format::JsonLines;
    return std::nullopt;
}

QByteArray AuditExport::jsonLine(const EngineEvent &event)
{
    const QJsonObject o {
        { u"at"_s, formatTime(event.at) },
        { u"kind"_s, event.kindName() },
        { u"incident"_s, event.incidentId },
        { u"detail"_s, event.detail },
        { u"data"_s, redacted(event.data) },
    };
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

QByteArray AuditExport::csvHeader()
{
    return "at,kind,incident,detail,data";
}

QByteArray AuditExport::csvLine(const EngineEvent &event)
{
    const QString data = QString::fromUtf8(QJsonDocument(redacted(event.data)).toJson(QJsonDocument::Compact));
    return csvCell(formatTime(event.at)) + ',' + csvCell(event.kindName()) + ',' + csvCell(event.incidentId) + ','
        + csvCell(event.detail) + ',' + csvCell(data);
}

AuditExport::Result AuditExport::write(const QList<EngineEvent> &events, const QString &path, Format format)
{
    Result result;
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        result.error = QCoreApplication::translate("AuditExport", "Could not write %1: %2. Choose another folder.")
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
        result.error = QCoreApplication::translate("AuditExport",
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
