// `antibodyctl lint` over 1,000 runbooks made from the shipped library (each renamed
// so no two share a name): reading the folder, loading, validating and the
// duplicate-name check across it. The goal is under 1 s on this machine.
#include "bench/benchmark.h"
#include "engine/runbook/runbookloader.h"
#include "engine/runbook/shippedlibrary.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QRegularExpression>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;

ANTIBODY_BENCHMARK(lint)
{
    using namespace antibody;
    const QStringList shipped = findRunbookFiles({ shippedRunbookFolder() });
    QTemporaryDir dir;
    if (shipped.isEmpty() || !dir.isValid()) {
        bench::report(u"lint_1000_runbooks_skipped"_s, 1, u"no shipped runbooks"_s);
        return;
    }
    QList<QByteArray> texts;
    for (const QString &file : shipped) {
        QFile f(file);
        if (f.open(QIODevice::ReadOnly))
            texts << f.readAll();
    }
    static const QRegularExpression name(u"^name: *([A-Za-z0-9_-]+)"_s, QRegularExpression::MultilineOption);
    const int count = bench::scaled(1000);
    for (int i = 0; i < count; ++i) {
        QString text = QString::fromUtf8(texts.at(i % texts.size()));
        text.replace(name, u"name: \\1-%1"_s.arg(i));
        QFile out(QDir(dir.path()).filePath(u"runbook-%1.yaml"_s.arg(i, 4, 10, QChar(u'0'))));
        if (!out.open(QIODevice::WriteOnly) || out.write(text.toUtf8()) < 0)
            return;
    }
    QElapsedTimer t;
    t.start();
    const LibraryResult result = loadRunbookLibrary({ dir.path() });
    bench::report(u"lint_1000_runbooks"_s, static_cast<double>(t.nsecsElapsed()) / 1e6, u"ms"_s);
    if (result.runbooks.size() != count || result.hasErrors())
        bench::report(
            u"lint_1000_runbooks_rejected"_s, static_cast<double>(count - result.runbooks.size()), u"runbooks"_s);
}
