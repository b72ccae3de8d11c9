// antibodyctl catalog: the action catalog as text, Markdown, JSON or the runbook JSON Schema.
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/optionreader.h"
#include "engine/runbook/catalogreference.h"
#include "engine/runbook/runbookschema.h"

using namespace Qt::StringLiterals;

namespace antibody::ctl {
namespace {

void printCatalogUsage(QTextStream &out)
{
    out << "usage: antibodyctl catalog [--format text|markdown|json|schema]\n\n"
        << "Prints the actions runbooks may use: tier, effect, blast-radius dimension,\n"
        << "parameters with types and defaults, and the facts conditions can read.\n\n"
        << "  --format text      for reading in a terminal (the default)\n"
        << "  --format markdown  the action reference embedded in docs/runbook-format.md\n"
        << "  --format json      the catalog as one JSON object\n"
        << "  --format schema    the runbook JSON Schema (resources/schema/runbook.schema.json)\n";
}

} // namespace

int runCatalog(const QStringList &args, Io &io)
{
    QString format = u"text"_s;
    OptionReader options(args, u"catalog"_s);
    while (options.next()) {
        if (options.flag(u"--help") || options.flag(u"-h")) {
            printCatalogUsage(io.out);
            return Ok;
        }
        std::optional<QString> value;
        if (options.is(u"--format"))
            value = options.take();
        if (!value) {
            io.err << "antibodyctl catalog: unexpected argument '" << options.argument() << "'\n\n";
            printCatalogUsage(io.err);
            return UsageError;
        }
        format = *value;
    }
    if (format == u"text"_s)
        io.out << catalogText();
    else if (format == u"markdown"_s)
        io.out << catalogMarkdown();
    else if (format == u"json"_s)
        io.out << QString::fromUtf8(catalogJson());
    else if (format == u"schema"_s)
        io.out << QString::fromUtf8(runbookJsonSchemaText());
    else {
        io.err << "antibodyctl catalog: unknown format '" << format << "': use text, markdown, json or schema\n";
        return UsageError;
    }
    return Ok;
}

} // namespace antibody::ctl
