#include "app/antibodyctl/timeline.h"

#include "engine/pipeline/incidentid.h"
#include "engine/store/redaction.h"

#include <cmath>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

QString clockText(double seconds)
{
    const qint64 s = static_cast<qint64>(seconds);
    return u"+%1:%2"_s.arg(s / 60).arg(s % 60, 2, 10, QChar(u'0'));
}

bool worthReading(const EngineEvent &e)
{
    return e.kind != EngineEvent::Kind::RunbookLoaded && e.kind != EngineEvent::Kind::StateChanged
        && e.kind != EngineEvent::Kind::FeedChanged;
}

QString timelineLine(double seconds, const QString &kind, const QString &incidentId, const QString &detail)
{
    return u"  "_s + clockText(seconds).rightJustified(7) + u"  "_s + kind.leftJustified(18) + u' '
        + IncidentId::shortForm(incidentId).leftJustified(4 + IncidentId::shortDigits) + u"  "_s
        + printable(Redaction::text(detail)) + u'\n';
}

QJsonObject timelineJson(double seconds, const EngineEvent &e)
{
    return QJsonObject {
        { u"t"_s, std::round(seconds * 1000.0) / 1000.0 },
        { u"incident"_s, e.incidentId.isEmpty() ? QJsonValue() : QJsonValue(e.incidentId) },
        { u"kind"_s, e.kindName() },
        { u"detail"_s, Redaction::text(e.detail) }, // the store redacts what it keeps; output is no different
        { u"data"_s, Redaction::object(e.data) },
    };
}

} // namespace antibody::ctl
