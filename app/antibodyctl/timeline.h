#pragma once

#include "engine/core/printable.h"
#include "engine/domain/engineevent.h"

#include <QJsonObject>
#include <QString>

namespace antibody::ctl {

// How antibodyctl prints an engine's incident timeline: `simulate` on virtual
// time, `run` on the wall clock, in the same columns and with the same names.

// "+1:05": minutes and seconds since the run began.
QString clockText(double seconds);

// The kinds a person reads in a timeline; the JSON keeps every event.
bool worthReading(const EngineEvent &e);

// Text from outside as one terminal line (engine/core/printable.h).
using antibody::printable;

// "    +0:05  detected           INC-1a2b3c4d  DbConnectionPoolExhausted fired", with a newline:
// the incident's short id (IncidentId::shortForm); the JSON and the summary carry the full one.
QString timelineLine(double seconds, const QString &kind, const QString &incidentId, const QString &detail);
inline QString timelineLine(double seconds, const EngineEvent &e)
{
    return timelineLine(seconds, e.kindName(), e.incidentId, e.detail);
}

// One event as a JSON line's object: t (seconds, to the millisecond), incident (null for
// engine-wide events), kind, detail, and the event's structured data.
QJsonObject timelineJson(double seconds, const EngineEvent &e);

} // namespace antibody::ctl
