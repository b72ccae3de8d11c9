// antibodyctl audit verify|export: the audit trail, checked or written out, from
// the database in the data folder (read-only: safe on evidence and next to a
// running console); verify reads the team's PostgreSQL store as well.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/optionreader.h"
#include "app/antibodyctl/serveraudit.h"
#include "app/antibodyctl/serveroptions.h"
#include "connectors/config/configerror.h"
#include "connectors/config/configuration.h"
#include "connectors/postgres/pgconnection.h"
#include "engine/store/auditexport.h"
#include "engine/store/auditverifier.h"
#include "engine/store/readonlystore.h"
#include "engine/store/storeerror.h"
#include "store/postgres/pgauditverifier.h"

#include <QRegularExpression>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

const char auditUsage[]
    = "usage: antibodyctl audit verify [--expect SEQ:HASH]... [--data-dir DIR | --config FILE | --store-dsn DSN]\n"
      "       antibodyctl audit export --format csv|json [--events-only] [--output FILE] [--data-dir DIR]\n"
      "       antibodyctl audit --server URL [--after N] [--limit N] [--json]\n";

// Where `audit verify` reads the trail: the data folder's SQLite database, or the team's
// PostgreSQL store (--config FILE: its server.database, as antibody-server reads it; or
// --store-dsn DSN, the password from PGPASSWORD or ~/.pgpass as libpq finds it).
struct VerifySource
{
    QString config;
    QString dsn;
    int named = 0; // how many of --config and --store-dsn were given, even empty
    bool fromConfig = false;

    bool shared() const { return named > 0; }
    // The options that name it again, for the --expect line the user keeps.
    QString again() const
    {
        if (!shared())
            return {};
        return fromConfig ? u" --config "_s + config : u" --store-dsn '"_s + dsn + u"'"_s;
    }
};

// The team store's trail, read-only: never the leader lease, never a migration.
std::optional<AuditVerifier::Report> verifyShared(
    const VerifySource &source, const QList<AuditVerifier::Expectation> &expected, Io &io)
{
    QString dsn = source.dsn;
    Secret password;
    if (source.fromConfig) {
        const Configuration::Loaded loaded = Configuration::load(source.config);
        if (!loaded.configuration) {
            io.err << "antibodyctl audit verify: " << describeErrors(loaded.errors) << '\n';
            return std::nullopt;
        }
        const std::optional<ServerConfig> &server = loaded.configuration->server;
        if (!server || server->databaseDsn.isEmpty()) {
            io.err << "antibodyctl audit verify: " << source.config
                   << " has no server.database: its server keeps the trail in SQLite in its data folder; verify that "
                      "with --data-dir DIR\n";
            return std::nullopt;
        }
        dsn = server->databaseDsn;
        password = server->databasePassword;
    }
    QString error;
    const std::unique_ptr<PgConnection> db = PgAuditVerifier::connect(dsn, password, &error);
    if (!db) {
        io.err << "antibodyctl audit verify: " << error << '\n';
        return std::nullopt;
    }
    return PgAuditVerifier::verify(*db, expected);
}

int verify(const QStringList &args, const QString &dataDir, Io &io)
{
    // --expect SEQ:HASH, the head an earlier verify printed and someone kept elsewhere.
    QList<AuditVerifier::Expectation> expected;
    VerifySource source;
    OptionReader options(args, u"audit"_s);
    while (options.next()) {
        const std::optional<QString> taken
            = options.is(u"--expect") || options.is(u"--config") || options.is(u"--store-dsn") ? options.take()
                                                                                               : std::nullopt;
        if (!taken) {
            io.err << "antibodyctl audit verify: unknown or incomplete argument '" << options.argument() << "'\n"
                   << auditUsage;
            return UsageError;
        }
        const QString &value = *taken;
        if (options.is(u"--config") || options.is(u"--store-dsn")) {
            (options.is(u"--config") ? source.config : source.dsn) = value;
            ++source.named;
            source.fromConfig = options.is(u"--config");
            continue;
        }
        bool ok = false;
        const qint64 seq = value.section(u':', 0, 0).toLongLong(&ok);
        const QString hash = value.section(u':', 1);
        static const QRegularExpression hex(u"^[0-9a-fA-F]{64}$"_s);
        if (!ok || seq <= 0 || !hex.match(hash).hasMatch()) {
            io.err << "antibodyctl audit verify: --expect wants SEQ:HASH, a row number and its 64-digit sha256 as "
                      "`audit verify` printed them, not '"
                   << value.left(100) << "'\n";
            return UsageError;
        }
        expected.append({ seq, hash });
    }
    if (source.named + (dataDir.isEmpty() ? 0 : 1) > 1) {
        io.err << "antibodyctl audit verify: give one of --data-dir, --config and --store-dsn: they name different "
                  "stores\n"
               << auditUsage;
        return UsageError;
    }
    std::optional<AuditVerifier::Report> report;
    if (source.shared()) {
        report = verifyShared(source, expected, io);
    } else {
        QString error;
        auto store = ReadOnlyStore::open(dataDir, &error);
        if (!store)
            io.err << "antibodyctl audit verify: " << error << '\n';
        else
            report = AuditVerifier::verify(store->database(), expected);
    }
    if (!report)
        return UsageError;
    const AuditVerifier::Report &r = *report;
    if (r.intact()) {
        io.out << "audit trail intact: " << r.file << '\n'
               << "  " << QString::number(r.rows) << " rows: " << QString::number(r.events) << " engine events, "
               << QString::number(r.seals) << " record seals; " << QString::number(r.records)
               << " records match their seals\n"
               << "  head: row " << r.headSeq << ", sha256 " << r.headHash << '\n';
        // The shared store has no anchor file: its copies are the database's own backups.
        if (r.anchoredSeq > 0)
            io.out
                << u"  anchor outside the file: row %1 as of %2, in the chain\n"_s.arg(r.anchoredSeq).arg(r.anchoredAt);
        else if (!source.shared())
            io.out << "  no anchor outside the file (a database copied without its -anchor file, or one from before "
                      "anchors)\n";
        io.out << "  (keep this line somewhere else, e.g. the incident ticket; a later\n"
                  "   `antibodyctl audit verify"
               << source.again() << " --expect " << r.headSeq << ':' << r.headHash << "`\n"
               << "   fails if the trail was cut back or rewritten since)\n";
        return Ok;
    }
    io.out << "audit trail BROKEN: " << r.file << '\n'
           << "  first problem: " << r.problems.front().where << ' ' << r.problems.front().what << '\n';
    const qsizetype shown = std::min<qsizetype>(r.problems.size(), 10);
    for (qsizetype i = 1; i < shown; ++i)
        io.out << "  also: " << r.problems[i].where << ' ' << r.problems[i].what << '\n';
    if (r.problems.size() > shown)
        io.out << "  ... and " << r.problems.size() - shown << " more\n";
    io.out << "  checked " << QString::number(r.rows) << " audit rows and " << QString::number(r.records)
           << " records\n"
           << (source.shared() ? "Keep this database unchanged as evidence (pg_dump it now); compare it with a backup "
                                 "or an earlier export to see what was there before.\n"
                               : "Keep this file unchanged as evidence; compare it with a backup or an earlier export "
                                 "to see what was there before.\n");
    return Failed;
}

int exportTrail(const QStringList &args, const QString &dataDir, Io &io)
{
    AuditExport::Options options;
    QString format;
    QString output;
    OptionReader reader(args, u"audit"_s);
    while (reader.next()) {
        std::optional<QString> value;
        if (reader.flag(u"--events-only")) {
            options.eventsOnly = true;
            continue;
        }
        if (reader.is(u"--format") || reader.is(u"--output"))
            value = reader.take();
        if (!value) {
            io.err << "antibodyctl audit export: unknown or incomplete argument '" << reader.argument() << "'\n"
                   << auditUsage;
            return UsageError;
        }
        (reader.is(u"--format") ? format : output) = *value;
    }
    if (format == u"csv"_s) {
        options.format = AuditExport::Format::Csv;
    } else if (format == u"json"_s) {
        options.format = AuditExport::Format::Json;
    } else {
        io.err << "antibodyctl audit export: --format must be csv or json"
               << (format.isEmpty() ? QString() : u", not '%1'"_s.arg(format)) << '\n'
               << auditUsage;
        return UsageError;
    }
    QString error;
    auto store = ReadOnlyStore::open(dataDir, &error);
    if (!store) {
        io.err << "antibodyctl audit export: " << error << '\n';
        return UsageError;
    }
    // Verified first: an export is evidence, and whoever reads it must know whether the
    // trail it comes from still holds. A broken one is exported all the same (it is
    // what there is), said on stderr, and the exit status is 1.
    const AuditVerifier::Report checked = AuditVerifier::verify(store->database());
    const auto verdict = [&] {
        if (checked.intact())
            return Ok;
        io.err << "antibodyctl audit export: the audit trail is BROKEN (" << checked.problems.front().where << ' '
               << checked.problems.front().what << "); exported as it stands: run `antibodyctl audit verify` for "
               << "every problem\n";
        return Failed;
    };
    if (output.isEmpty() || output == u"-"_s) {
        AuditExport::write(store->database(), options, io.out);
        return verdict();
    }
    // Written whole or not at all: a half-written export is worse than none.
    QSaveFile file(output);
    if (!file.open(QIODevice::WriteOnly)) {
        io.err << "antibodyctl audit export: cannot write " << output << ": " << file.errorString() << '\n';
        return UsageError;
    }
    QTextStream stream(&file);
    const qint64 rows = AuditExport::write(store->database(), options, stream);
    if (!file.commit()) {
        io.err << "antibodyctl audit export: cannot write " << output << ": " << file.errorString() << '\n';
        return UsageError;
    }
    io.err << "wrote " << rows << " audit rows to " << output << (checked.intact() ? u", verified"_s : QString())
           << '\n';
    return verdict();
}

} // namespace

int runAudit(const QStringList &arguments, Io &io)
{
    if (ServerOptions::requested(arguments))
        return auditOnServer(arguments, io);
    QStringList args = arguments;
    QString optionError;
    const QString dataDir = OptionReader::takeDataDir(args, &optionError);
    if (!optionError.isEmpty()) {
        io.err << "antibodyctl audit: " << optionError << '\n' << auditUsage;
        return UsageError;
    }
    const QString action = args.isEmpty() ? QString() : args.takeFirst();
    if (action == u"--help"_s || action == u"-h"_s) {
        io.out
            << auditUsage
            << "\nverify checks the hash chain of the audit trail and every record sealed into it; it names the first\n"
               "edited, deleted or reordered row. Exit 0: intact, 1: broken, 2: usage or I/O error.\n"
               "It reads the SQLite store in the data folder, or the team's PostgreSQL store: --config FILE reads\n"
               "server.database of an antibody-server configuration (its password_env/password_file too),\n"
               "--store-dsn DSN takes a libpq connection string (the password from PGPASSWORD or ~/.pgpass).\n"
               "Either only reads, in one read-only transaction: safe next to the servers that lead.\n";
        return Ok;
    }
    try {
        if (action == u"verify"_s)
            return verify(args, dataDir, io);
        if (action == u"export"_s)
            return exportTrail(args, dataDir, io);
    } catch (const StoreError &e) {
        io.err << "antibodyctl audit " << action << ": " << e.message() << '\n';
        return UsageError;
    }
    io.err << "antibodyctl audit: say verify or export\n" << auditUsage;
    return UsageError;
}

} // namespace antibody::ctl
