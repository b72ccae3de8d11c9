// Runs the registered benchmarks (all, or those named on the command line, or their
// groups) and prints one line per figure.
#include "bench/benchmark.h"

#include <QDeadlineTimer>
#include <QTextStream>
#include <QTimer>

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

void reportAgainst(const QString &name, double value, const QString &unit, double target)
{
    report(name, value,
        u"%1 (target < %2 %1: %3)"_s.arg(unit, QString::number(target), value < target ? u"met"_s : u"MISSED"_s));
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(std::min<qsizetype>(values.size() - 1, static_cast<qsizetype>(p * double(values.size()))));
}

double millisecondsBetween(SteadyClock::time_point from, SteadyClock::time_point to)
{
    return std::chrono::duration<double, std::milli>(to - from).count();
}

bool waitFor(const std::function<bool()> &done, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs, Qt::PreciseTimer);
    QTimer tick; // wakes the loop to look at `done` and the deadline when nothing else happens
    tick.start(20);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents);
    }
    return true;
}

bool pollUntil(const std::function<bool()> &done, int intervalMs, int timeoutMs)
{
    const QDeadlineTimer deadline(timeoutMs);
    while (!done()) {
        if (deadline.hasExpired())
            return false;
        (void)waitFor([] { return false; }, std::min<int>(intervalMs, int(deadline.remainingTime())));
    }
    return true;
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
    // A name runs that benchmark; a group (`team`, `engine`) every benchmark named GROUP_*.
    QStringList wanted = QCoreApplication::arguments().mid(1);
    QTextStream err(stderr);
    antibody::bench::quickMode = wanted.removeAll(u"--quick"_s) > 0;
    if (antibody::bench::quick())
        err << "quick mode: a twentieth of the work, the figures are not comparable\n";
    int ran = 0;
    for (const auto &entry : antibody::bench::registry()) {
        const auto named = [&](const QString &w) { return entry.name == w || entry.name.startsWith(w + u'_'); };
        if (!wanted.isEmpty() && std::none_of(wanted.cbegin(), wanted.cend(), named))
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
