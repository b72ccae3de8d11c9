#include "connectors/notifiers/notificationtext.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody {

QString notificationKind(const Notification &n)
{
    switch (n.kind) {
    case Notification::Kind::Page:
        return u"page"_s;
    case Notification::Kind::Notify:
        return u"notify"_s;
    case Notification::Kind::Resolve:
        return u"resolve"_s;
    }
    return {};
}

QString notificationLine(const Notification &n)
{
    QString tag;
    switch (n.kind) {
    case Notification::Kind::Page:
        tag = u"PAGE"_s;
        break;
    case Notification::Kind::Notify:
        tag = u"FYI"_s;
        break;
    case Notification::Kind::Resolve:
        tag = u"RESOLVED"_s;
        break;
    }
    if (!n.severity.isEmpty() && n.kind != Notification::Kind::Resolve)
        tag += u' ' + n.severity;
    QString line = u"[%1] "_s.arg(tag);
    if (!n.service.isEmpty() && !n.summary.startsWith(n.service))
        line += n.service + u": "_s;
    line += n.summary;
    if (!n.incidentId.isEmpty())
        line += u" (incident %1)"_s.arg(n.incidentId);
    return line;
}

QJsonObject boundedDetails(const QJsonObject &details, qsizetype maxBytes)
{
    const qsizetype size = QJsonDocument(details).toJson(QJsonDocument::Compact).size();
    if (size <= maxBytes)
        return details;
    return { { u"note"_s,
        u"the diagnostics (%1 bytes) are larger than the %2 bytes this receiver takes; see the incident in Antibody"_s
            .arg(size)
            .arg(maxBytes) } };
}

} // namespace antibody
