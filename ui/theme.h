#pragma once

#include <QPalette>
#include <QString>

namespace antibody {

// Light or dark, or whatever the desktop uses. "System" keeps Qt's platform
// palette, so a desktop that switches to dark at night takes the console along;
// the console's own colours (ConsolePalette) follow whichever palette is live.
class Theme
{
public:
    enum class Choice { System, Light, Dark };

    // Call once, before any other palette change: remembers the system's palette.
    static void rememberSystemPalette();
    static void apply(Choice choice);

    static QString name(Choice choice); // "system", "light", "dark": what QSettings stores
    static Choice fromName(const QString &name);
    static QPalette light();
    static QPalette dark();
};

} // namespace antibody
