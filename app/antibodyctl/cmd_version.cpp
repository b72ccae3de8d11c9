#include "app/antibodyctl/command.h"
#include "connectors/libraryversions.h"

#include <QtGlobal>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

int runVersion(const QStringList &args, Io &io)
{
    if (!args.isEmpty()) {
        io.err << "antibodyctl version: takes no arguments\n";
        return UsageError;
    }
    io.out << "antibodyctl " << ANTIBODY_VERSION << '\n'
           << "Qt " << qVersion() << ", libcurl " << curlVersion() << ", libpq " << libpqVersion() << '\n';
    return Ok;
}

} // namespace antibody::ctl
