#include "models/present/groupedalerts.h"

#include <QJsonArray>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody {

QStringList groupedAlertLines(const Incident &incident)
{
    const QJsonArray alerts = incident.diagnostics.value(u"alerts"_s).toArray();
    if (alerts.size() < 2)
        return {};
    QStringList lines;
    for (const QJsonValue &v : alerts) {
        const QJsonObject a = v.toObject();
        const QString service = a.value(u"service"_s).toString();
        const QString summary = a.value(u"summary"_s).toString();
        QString line = service.isEmpty() ? a.value(u"name"_s).toString()
                                         : u"%1 on %2"_s.arg(a.value(u"name"_s).toString(), service);
        if (!summary.isEmpty())
            line += u": "_s + summary;
        lines << line;
    }
    return lines;
}

} // namespace antibody
