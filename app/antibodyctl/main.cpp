// antibodyctl: the engine from the command line. Each subcommand is one
// cmd_<name>.cpp; this file only dispatches.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/serveroptions.h"

#include <QCoreApplication>
#include <cstdio>

using namespace Qt::StringLiterals;

namespace {

void printUsage(QTextStream &out)
{
    out << "usage: antibodyctl <command> [options]\n\n"
        << "Commands:\n";
    for (const auto &c : antibody::ctl::commands())
        out << "  " << c.name.leftJustified(13) << ' ' << c.summary << '\n';
    out << "\nRun `antibodyctl <command> --help` for a command's options.\n"
        << "Exit status: 0 done; 1 the thing checked is bad, or what you asked was refused (a stale plan, a server\n"
        << "that stands by, an incident already over) or answered no; 2 a usage error, or what it needed (a file, a\n"
        << "database, the server) could not be read or reached.\n";
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(u"antibodyctl"_s);
    QCoreApplication::setOrganizationName(u"antibody"_s);
    QCoreApplication::setApplicationVersion(QStringLiteral(ANTIBODY_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    antibody::ctl::Io io { out, err };

    QStringList args = antibody::ctl::ServerOptions::commandFirst(QCoreApplication::arguments().mid(1));
    if (args.isEmpty()) {
        printUsage(err);
        return antibody::ctl::UsageError;
    }
    const QString name = args.takeFirst();
    if (name == u"help"_s || name == u"--help"_s || name == u"-h"_s) {
        printUsage(out);
        return antibody::ctl::Ok;
    }
    if (name == u"--version"_s)
        return antibody::ctl::runVersion({}, io);
    for (const auto &c : antibody::ctl::commands()) {
        if (c.name == name)
            return c.run(args, io);
    }
    err << "antibodyctl: unknown command '" << name << "'\n\n";
    printUsage(err);
    return antibody::ctl::UsageError;
}
