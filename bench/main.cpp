// Runs the registered benchmarks (all, or those named on the command line) and
// prints one line per figure.
#include "bench/benchmark.h"

#include <QTextStream>

#ifdef ANTIBODY_BENCH_WIDGETS
#include <QApplication>
using Application = QApplication;
#else
#include <QCoreApplication> // the engine's benchmarks alone (the sanitizer build): no widgets
using Application = QCoreApplication;
#endif

#include <algorithm>
#include <vector>

using namespace Qt::StringLiterals;

namespace antibody::bench {
namespace {

struct Entry
{
    QString name;
    std::function<void()> run;
};

std::vector<Entry> &registry()
{
    static std::vector<Entry> entries;
    return entries;
}

bool quickMode = false;

} // namespace

bool quick()
{
    return quickMode;
}

int scaled(int full)
{
    return quickMode ? std::max(1, full / 20) : full;
}

void report(const QString &name, double value, const QString &unit)
{
    QTextStream out(stdout);
    out << name << ' ' << QString::number(value, 'f', value < 10 ? 3 : 1) << ' ' << unit << Qt::endl;
}

Registration::Registration(const char *name, std::function<void()> run)
{
    registry().push_back({ QString::fromLatin1(name), std::move(run) });
}

} // namespace antibody::bench

int main(int argc, char *argv[])
{
    // The console's benchmarks measure widgets: they paint offscreen, with no display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    Application app(argc, argv);
    QStringList wanted = QCoreApplication::arguments().mid(1);
    QTextStream err(stderr);
    antibody::bench::quickMode = wanted.removeAll(u"--quick"_s) > 0;
    if (antibody::bench::quick())
        err << "quick mode: a twentieth of the work, the figures are not comparable\n";
    int ran = 0;
    for (const auto &entry : antibody::bench::registry()) {
        if (!wanted.isEmpty() && !wanted.contains(entry.name))
            continue;
        entry.run();
        ++ran;
    }
    if (ran == 0) {
        err << "no benchmark matched" << (wanted.isEmpty() ? QString() : u": "_s + wanted.join(u' ')) << '\n';
        return 2;
    }
    return 0;
}
