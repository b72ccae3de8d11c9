#pragma once

#include <QString>
#include <QStringList>

namespace antibody {

// `antibody-server`'s command line: what it takes, and its help text.
struct ServerUsage
{
    QString config;
    QString dataDir;
    bool help = false;

    // Empty when the arguments are good; else what is wrong and what to do.
    static QString parse(const QStringList &arguments, ServerUsage *out);
    static QString text();
};

} // namespace antibody
