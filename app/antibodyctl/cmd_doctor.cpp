// antibodyctl doctor --config FILE: what a configuration will meet, before the first
// incident: each source and executor, then per runbook READY or what is missing, where.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/optionreader.h"
#include "connectors/doctor/doctor.h"
#include "engine/runbook/runbookloader.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody::ctl {
namespace {

void printDoctorUsage(QTextStream &out)
{
    out << "usage: antibodyctl doctor --config FILE [--json] [--timeout SECONDS]\n\n"
        << "Checks what a configuration (docs/configuration.md) will meet: each source answers (Prometheus,\n"
        << "Alertmanager: URL, TLS, a real answer), each executor connects with the privileges its actions\n"
        << "need (PostgreSQL: pg_signal_backend and pg_read_all_stats), and per runbook whether the alerts it\n"
        << "answers have an alerting rule in Prometheus (or are held by Alertmanager now), the metrics it reads\n"
        << "have series (with their count) and an executor runs each of its actions. Prints one line per\n"
        << "check, then READY or NOT READY per runbook with each missing thing at the runbook's file:line.\n\n"
        << "  --config FILE      the configuration (`scripts/realstack config` prints one for the real stack)\n"
        << "  --json             one JSON object: ready, checks, runbooks (missing, warnings, found)\n"
        << "  --timeout SECONDS  the bound on the whole examination (default 15); every request has its own\n"
        << "                     shorter one, and what has not answered by then counts as missing\n\n"
        << "Exit status: 0 when every check passed and every runbook is ready, 1 when something is not\n"
        << "ready, 2 on a usage error or a configuration (or runbook) that does not load.\n";
}

struct DoctorOptions
{
    QString config;
    bool json = false;
    bool help = false;
    Duration budget { 15'000 };
};

bool parseOptions(const QStringList &args, DoctorOptions &o, QString *error)
{
    OptionReader options(args, u"doctor"_s);
    while (options.next()) {
        QString value;
        if (options.flag(u"--help") || options.flag(u"-h")) {
            o.help = true;
        } else if (options.flag(u"--json")) {
            o.json = true;
        } else if (options.is(u"--config")) {
            if (!options.take(&value, error))
                return false;
            o.config = value;
        } else if (options.is(u"--timeout")) {
            if (!options.take(&value, error))
                return false;
            bool ok = false;
            const double seconds = value.toDouble(&ok);
            if (!ok || !(seconds >= 1) || seconds > 300) {
                *error = u"--timeout takes a number of seconds from 1 to 300, such as 10 (got '%1')"_s.arg(value);
                return false;
            }
            o.budget = Duration { static_cast<qint64>(seconds * 1000.0) };
        } else {
            *error = options.unknown();
            return false;
        }
    }
    if (!o.help && o.config.isEmpty()) {
        *error = u"--config FILE is required: `scripts/realstack config` prints one for the real stack"_s;
        return false;
    }
    return true;
}

} // namespace

int runDoctor(const QStringList &args, Io &io)
{
    DoctorOptions o;
    QString error;
    if (!parseOptions(args, o, &error)) {
        io.err << "antibodyctl doctor: " << error << '\n';
        return UsageError;
    }
    if (o.help) {
        printDoctorUsage(io.out);
        return Ok;
    }
    const Configuration::Loaded loaded = Configuration::load(o.config);
    if (!loaded.configuration) {
        io.err << "antibodyctl doctor: the configuration does not load; fix these:\n"
               << describeErrors(loaded.errors) << '\n';
        return UsageError;
    }
    const Configuration &config = *loaded.configuration;
    if (!config.prometheus && !config.alertmanager) {
        io.err << "antibodyctl doctor: " << config.file
               << ": sources: no alert or metric source is configured: add sources.alertmanager and/or "
                  "sources.prometheus (docs/configuration.md)\n";
        return UsageError;
    }
    const LibraryResult library = loadRunbookLibrary(config.runbooks);
    if (library.hasErrors()) {
        io.err
            << "antibodyctl doctor: the configured runbooks do not load; fix these (`antibodyctl lint` says more):\n";
        for (const Diagnostic &d : library.diagnostics) {
            if (d.isError())
                io.err << "  " << d.toString() << '\n';
        }
        return UsageError;
    }

    const DoctorReport report = examineConfiguration(config, library.runbooks, o.budget);
    if (o.json) {
        io.out << QJsonDocument(report.json()).toJson(QJsonDocument::Indented);
    } else {
        for (const QString &w : config.warnings)
            io.out << "warning: " << w << '\n';
        io.out << "antibodyctl doctor: " << config.file << '\n';
        for (const QString &line : report.text())
            io.out << line << '\n';
    }
    return report.allReady() ? Ok : Failed;
}

} // namespace antibody::ctl
