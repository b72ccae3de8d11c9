// antibodyctl audit verify|export: the audit trail, checked or written out, from
// the database in the data folder (read-only: safe on evidence and next to a
// running console).
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/optionreader.h"
#include "app/antibodyctl/serveraudit.h"
#include "app/antibodyctl/serveroptions.h"
#include "engine/store/auditexport.h"
#include "engine/store/auditverifier.h"
#include "engine/store/readonlystore.h"
#include "engine/store/storeerror.h"

#include <QRegularExpression>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

const char auditUsage[]
    = "usage: antibodyctl audit verify [--expect SEQ:HASH]... [--data-dir DIR]\n"
      "       antibodyctl audit export --format csv|json [--events-only] [--output FILE] [--data-dir DIR]\n"
      "       antibodyctl audit --server URL [--after N] [--limit N] [--json]\n";

int verify(const QStringList &args, const QString &dataDir, Io &io)
{
    // --expect SEQ:HASH, the head an earlier verify printed and someone kept elsewhere.
    QList<AuditVerifier::Expectation> expected;
    OptionReader options(args, u"audit"_s);
    while (options.next()) {
        const std::optional<QString> taken = options.is(u"--expect") ? options.take() : std::nullopt;
        if (!taken) {
            io.err << "antibodyctl audit verify: unknown or incomplete argument '" << options.argument() << "'\n"
                   << auditUsage;
            return UsageError;
        }
        const QString &value = *taken;
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
    QString error;
    auto store = ReadOnlyStore::open(dataDir, &error);
    if (!store) {
        io.err << "antibodyctl audit verify: " << error << '\n';
        return UsageError;
    }
    const AuditVerifier::Report r = AuditVerifier::verify(store->database(), expected);
    if (r.intact()) {
        io.out
            << "audit trail intact: " << r.file << '\n'
            << "  " << QString::number(r.rows) << " rows: " << QString::number(r.events) << " engine events, "
            << QString::number(r.seals) << " record seals; " << QString::number(r.records)
            << " records match their seals\n"
            << "  head: row " << r.headSeq << ", sha256 " << r.headHash << '\n'
            << (r.anchoredSeq > 0
                       ? u"  anchor outside the file: row %1 as of %2, in the chain\n"_s.arg(r.anchoredSeq)
                             .arg(r.anchoredAt)
                       : u"  no anchor outside the file (a database copied without its -anchor file, or one from before anchors)\n"_s)
            << "  (keep this line somewhere else, e.g. the incident ticket; a later\n"
               "   `antibodyctl audit verify --expect "
            << r.headSeq << ':' << r.headHash << "`\n"
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
           << "Keep this file unchanged as evidence; compare it with a backup or an earlier export to see what was "
              "there before.\n";
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
               "edited, deleted or reordered row. Exit 0: intact, 1: broken, 2: usage or I/O error.\n";
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
