// libFuzzer over the runbook loader. Any bytes must give a runbook or located
// diagnostics, never a crash, a hang or unbounded memory (docs/runbook-format.md,
// "Limits"). The sanitizers catch memory errors, leaks and undefined behaviour; the
// checks below are the loader's contract (runbookloader.h, diagnostic.h), and abort()
// makes libFuzzer keep the input that broke it. scripts/fuzz runs this.
#include "engine/runbook/diagnosticcode.h"
#include "engine/runbook/diagnosticreport.h"
#include "engine/runbook/runbookloader.h"

#include <QByteArray>
#include <QHash>
#include <cstdint>
#include <cstdio>
#include <cstdlib>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

[[noreturn]] void violated(const char *rule, const QList<Diagnostic> &diagnostics)
{
    std::fprintf(stderr, "fuzz_runbookloader: the loader broke its contract: %s\n", rule);
    for (const Diagnostic &d : diagnostics)
        std::fprintf(stderr, "  %s\n", qUtf8Printable(d.toString()));
    std::abort();
}

const QHash<QString, Diagnostic::Severity> &severityByCode()
{
    static const QHash<QString, Diagnostic::Severity> codes = [] {
        QHash<QString, Diagnostic::Severity> out;
        for (const DiagnosticCodeInfo &info : diagnosticCodes())
            out.insert(info.name, info.severity);
        return out;
    }();
    return codes;
}

// Characters on each line of the text the loader reads (a byte order mark is not one), as
// LineIndex counts them: lines end at '\n', UTF-8 continuation bytes are not characters.
QList<int> lineLengths(const QByteArray &bytes)
{
    static const QByteArray bom = QByteArrayLiteral("\xEF\xBB\xBF");
    const QByteArray text = bytes.startsWith(bom) ? bytes.mid(bom.size()) : bytes;
    QList<int> lengths { 0 };
    for (const char c : text) {
        if (c == '\n')
            lengths << 0;
        else if ((static_cast<unsigned char>(c) & 0xC0) != 0x80)
            ++lengths.back();
    }
    return lengths;
}

void checkContract(const QByteArray &bytes, const QString &fileName, const LoadResult &result)
{
    const QList<Diagnostic> &diagnostics = result.diagnostics;
    if (result.runbook.has_value() == result.hasErrors())
        violated("a runbook exactly when no diagnostic is an error", diagnostics);
    if (diagnostics.size() > DiagnosticReport::maxDiagnostics + 1)
        violated("at most 200 diagnostics and one `too-many-problems`", diagnostics);
    const QString &tooLarge = diagnosticCodeInfo(DiagnosticCode::FileTooLarge).name;
    if (bytes.size() > maxRunbookBytes && (diagnostics.size() != 1 || diagnostics.front().code != tooLarge))
        violated("a file over 1 MiB gives `file-too-large` and nothing else", diagnostics);
    const QList<int> lengths = lineLengths(bytes);
    const auto inFile = [&](int line, int column) {
        // 1-based, at most one past the line's last character (its end); or 0:0, the whole file.
        if (line == 0 && column == 0)
            return true;
        return line >= 1 && line <= lengths.size() && column >= 1 && column <= lengths[line - 1] + 1;
    };
    for (const Diagnostic &d : diagnostics) {
        const auto known = severityByCode().constFind(d.code);
        if (known == severityByCode().constEnd() || known.value() != d.severity)
            violated("every diagnostic has a documented code, with that code's severity", diagnostics);
        if (d.file != fileName || d.message.isEmpty() || d.hint.isEmpty())
            violated("every diagnostic names the file, says what is wrong and what to do", diagnostics);
        if (!inFile(d.line, d.column))
            violated("every diagnostic is located in the file: a line, and a column on it", diagnostics);
    }
    if (const auto &runbook = result.runbook) {
        if (runbook->file != fileName || runbook->sourceHash.size() != 32 || runbook->name.isEmpty()
            || runbook->steps.isEmpty())
            violated("a loaded runbook has its file, hash, name and steps", diagnostics);
        if (runbook->location.line == 0 || !inFile(runbook->location.line, runbook->location.column))
            violated("a loaded runbook is located at its `name:` key", diagnostics);
    }
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t *data, std::size_t size)
{
    // Raw data, not a copy: the bytes end where the input ends, so a read past the end is a
    // heap overflow ASan reports, not a read of a QByteArray's hidden terminator.
    const auto *chars = reinterpret_cast<const char *>(data);
    const QByteArray bytes = QByteArray::fromRawData(chars, static_cast<qsizetype>(size));
    const QString fileName = u"fuzz.yaml"_s;
    checkContract(bytes, fileName, loadRunbookText(bytes, fileName));
    return 0;
}
