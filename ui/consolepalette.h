#pragma once

#include <QColor>
#include <QPalette>

namespace antibody {

// The console's own colours (severity, state, guardrail verdicts, blast-radius
// cells), in a light and a dark set, chosen from the palette the widgets use so
// that they follow the system's (or the user's) light or dark theme. Red always
// means "touches production" or "blocked"; amber "waits for you"; green "fine".
struct ConsolePalette
{
    bool dark = false;
    QColor critical;
    QColor high;
    QColor warning;
    QColor calm; // low, info
    QColor ok; // pass, resolved, serving
    QColor waiting; // needs approval, awaiting a human
    QColor running; // executing, verifying
    QColor blocked; // block, escalated, open breaker
    QColor chosen; // blast radius: touched this cycle
    QColor later; // blast radius: a later cycle
    QColor untouched; // blast radius: keeps serving
    QColor bannerBackground;
    QColor bannerText;
    QColor muted; // secondary text

    static ConsolePalette from(const QPalette &palette);
    static bool isDark(const QPalette &palette);

    QColor severity(int rank) const; // SeverityRank as int
    QColor incidentState(int state) const; // IncidentState as int
};

} // namespace antibody
