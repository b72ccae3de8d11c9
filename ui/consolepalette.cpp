#include "ui/consolepalette.h"

#include "engine/core/severity.h"
#include "engine/domain/incident.h"

namespace antibody {

bool ConsolePalette::isDark(const QPalette &palette)
{
    return palette.color(QPalette::Window).lightness() < 128;
}

ConsolePalette ConsolePalette::from(const QPalette &palette)
{
    ConsolePalette p;
    p.dark = isDark(palette);
    if (p.dark) {
        p.critical = QColor(0xff, 0x6b, 0x6b);
        p.high = QColor(0xff, 0xa0, 0x4d);
        p.warning = QColor(0xf2, 0xc9, 0x4c);
        p.calm = QColor(0x8a, 0xb4, 0xf8);
        p.ok = QColor(0x5c, 0xd6, 0x8a);
        p.waiting = QColor(0xf2, 0xb0, 0x3c);
        p.running = QColor(0x6c, 0xb6, 0xff);
        p.blocked = QColor(0xff, 0x5c, 0x5c);
        p.chosen = QColor(0xff, 0x7a, 0x45);
        p.later = QColor(0x9a, 0x6a, 0x4c);
        p.untouched = QColor(0x3d, 0x5a, 0x48);
        p.bannerBackground = QColor(0x4a, 0x3b, 0x12);
        p.bannerText = QColor(0xff, 0xe6, 0xa8);
    } else {
        p.critical = QColor(0xc6, 0x28, 0x28);
        p.high = QColor(0xd8, 0x5a, 0x00);
        p.warning = QColor(0xa8, 0x7c, 0x00);
        p.calm = QColor(0x1f, 0x5f, 0xbf);
        p.ok = QColor(0x1e, 0x7e, 0x34);
        p.waiting = QColor(0xb3, 0x6b, 0x00);
        p.running = QColor(0x15, 0x65, 0xc0);
        p.blocked = QColor(0xc6, 0x28, 0x28);
        p.chosen = QColor(0xe6, 0x51, 0x00);
        p.later = QColor(0xf5, 0xc2, 0x9a);
        p.untouched = QColor(0xb9, 0xdf, 0xc4);
        p.bannerBackground = QColor(0xff, 0xf3, 0xcd);
        p.bannerText = QColor(0x5c, 0x40, 0x00);
    }
    p.muted = palette.color(QPalette::PlaceholderText);
    return p;
}

QColor ConsolePalette::severity(int rank) const
{
    switch (static_cast<SeverityRank>(rank)) {
    case SeverityRank::Critical:
        return critical;
    case SeverityRank::High:
        return high;
    case SeverityRank::Warning:
        return warning;
    default:
        return calm;
    }
}

QColor ConsolePalette::incidentState(int state) const
{
    switch (static_cast<IncidentState>(state)) {
    case IncidentState::AwaitingApproval:
        return waiting;
    case IncidentState::Escalated:
    case IncidentState::Interrupted:
        return blocked;
    case IncidentState::Executing:
    case IncidentState::Verifying:
    case IncidentState::Diagnosing:
        return running;
    case IncidentState::Resolved:
        return ok;
    default:
        return muted;
    }
}

} // namespace antibody
