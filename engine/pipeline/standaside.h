#pragma once

#include "engine/ports/alert.h"

#include <QHash>

namespace antibody {

struct EngineParts;
struct IncidentOpening;

// Beside other processes on one store (a console and `antibodyctl run`, two consoles):
// when another process holds a problem open, this engine stands aside and looks again
// every evaluation interval, rather than race it. Clocks of two processes differ, so
// nothing here relies on both deriving the same id at the same millisecond.
class StandAside
{
public:
    explicit StandAside(EngineParts &parts);

    void standAside(const Alert &alert, const IncidentOpening &opening);
    // A newer version of an alert another process handles: kept for the next look. False
    // when no other process holds it.
    bool update(const Alert &alert);
    void forget(const QString &fingerprint); // the alert resolved

private:
    void lookAgainLater(const QString &fingerprint);

    EngineParts &m_parts;
    QHash<QString, std::pair<Alert, QString>> m_heldElsewhere; // fingerprint -> (alert, the incident holding it)
    QHash<QString, QString> m_asideFor; // fingerprint -> the incident this engine said it stands aside for
};

} // namespace antibody
