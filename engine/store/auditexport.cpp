#include "engine/store/auditexport.h"

#include "engine/core/csvfield.h"
#include "engine/core/time.h"
#include "engine/store/audittrail.h"
#include "engine/store/sqlitedatabase.h"

#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody {

qint64 AuditExport::write(SqliteDatabase &db, const Options &options, QTextStream &out)
{
    auto q = db.prepare(u"SELECT seq, at, recorded_at, kind, incident_id, detail, data, prev_hash, hash FROM audit "
                        "WHERE ? = 0 OR kind <> ? ORDER BY seq"_s);
    q.bind(1, options.eventsOnly ? 1 : 0).bind(2, AuditTrail::sealKind());
    qint64 rows = 0;
    if (options.format == Format::Csv)
        out << "seq,at,recorded_at,kind,incident,detail,data,prev_hash,hash\r\n";
    else
        out << "[";
    while (q.step()) {
        const QString at = formatTime(fromMillis(q.integer(1)));
        const QString recordedAt = formatTime(fromMillis(q.integer(2)));
        if (options.format == Format::Csv) {
            out << csvRecord({ QString::number(q.integer(0)), at, recordedAt, q.text(3), q.text(4), q.text(5),
                q.text(6), q.text(7), q.text(8) })
                << "\r\n";
        } else {
            const QJsonObject row {
                { u"seq"_s, q.integer(0) },
                { u"at"_s, at },
                { u"recorded_at"_s, recordedAt },
                { u"kind"_s, q.text(3) },
                { u"incident"_s, q.text(4) },
                { u"detail"_s, q.text(5) },
                { u"data"_s, QJsonDocument::fromJson(q.text(6).toUtf8()).object() },
                { u"prev_hash"_s, q.text(7) },
                { u"hash"_s, q.text(8) },
            };
            out << (rows == 0 ? "\n  " : ",\n  ")
                << QString::fromUtf8(QJsonDocument(row).toJson(QJsonDocument::Compact));
        }
        ++rows;
    }
    if (options.format == Format::Json)
        out << (rows == 0 ? "]\n" : "\n]\n");
    out.flush();
    return rows;
}

} // namespace antibody
