#include "app/antibody-server/serverusage.h"

using namespace Qt::StringLiterals;

namespace antibody {

QString ServerUsage::text()
{
    return u"usage: antibody-server --config FILE [--data-dir DIR]\n\n"
           "Runs the engine for a whole on-call team: one engine, many consoles (docs/team.md).\n"
           "The configuration is the one `antibodyctl run` reads, plus a `server:` section: where the\n"
           "client API listens (TLS), its certificate and key, and where /metrics, /healthz, /readyz\n"
           "and the Alertmanager webhook (/v1/alertmanager) listen.\n\n"
           "  --config FILE    the configuration (docs/configuration.md, docs/team.md)\n"
           "  --data-dir DIR   the database's folder (default: the configuration's data_dir)\n\n"
           "Logs to stderr (the journal under systemd). SIGHUP reloads the runbooks (a runbook with\n"
           "an error leaves the loaded ones in place); SIGTERM and SIGINT stop it cleanly.\n"
           "Exit status: 0 stopped cleanly, 1 could not start or the database failed, 2 usage error.\n"_s;
}

QString ServerUsage::parse(const QStringList &arguments, ServerUsage *out)
{
    for (qsizetype i = 1; i < arguments.size(); ++i) {
        const QString &a = arguments.at(i);
        auto value = [&](const QString &name, QString *into) {
            if (a.startsWith(name + u'=')) {
                *into = a.mid(name.size() + 1);
                return QString();
            }
            if (i + 1 >= arguments.size())
                return u"%1 needs a value"_s.arg(name);
            *into = arguments.at(++i);
            return QString();
        };
        QString error;
        if (a == u"--help"_s || a == u"-h"_s)
            out->help = true;
        else if (a == u"--config"_s || a.startsWith(u"--config="_s))
            error = value(u"--config"_s, &out->config);
        else if (a == u"--data-dir"_s || a.startsWith(u"--data-dir="_s))
            error = value(u"--data-dir"_s, &out->dataDir);
        else
            error = u"unknown option '%1': antibody-server --help lists them"_s.arg(a);
        if (!error.isEmpty())
            return error;
    }
    if (!out->help && out->config.isEmpty())
        return u"--config FILE is required: docs/team.md shows a configuration with its server: section"_s;
    return {};
}

} // namespace antibody
