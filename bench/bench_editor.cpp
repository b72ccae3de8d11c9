// The runbook editor's costs per keystroke and per drill: validation (debounced, on
// the GUI thread), the outline and completion (on each word typed), and one drill.
#include "bench/benchmark.h"
#include "engine/runbook/runbookloader.h"
#include "models/editor/runbookcompletion.h"
#include "models/editor/yamloutline.h"
#include "simulator/rehearsal/simulateddrill.h"

#include <QElapsedTimer>

using namespace Qt::StringLiterals;

namespace {

const QByteArray seedRunbook = "name: connection-pool-exhaustion\n"
                               "level: 3\n"
                               "trigger:\n"
                               "  alert: db_connection_pool_utilization > 90%\n"
                               "  confidence: high\n"
                               "steps:\n"
                               "  - name: diagnose\n"
                               "    action: query_metrics\n"
                               "    params: { metric: \"db_active_connections\", window: \"5m\" }\n"
                               "  - name: kill_idle\n"
                               "    action: terminate_connections\n"
                               "    params: { state: \"idle\", older_than: \"300s\" }\n"
                               "    blast_radius: { max_connections: \"15%\" }\n"
                               "  - name: verify_recovery\n"
                               "    action: wait_for_metric\n"
                               "    params: { metric: \"db_pool_utilization\", below: \"70%\", timeout: \"120s\" }\n"
                               "  - name: escalate_if_failed\n"
                               "    action: page_oncall\n"
                               "    condition: \"verify_recovery.failed\"\n"
                               "    params: { severity: \"high\", context: \"Auto-remediation failed\" }\n"
                               "drill: { scenario: connection-pool-exhaustion, expect: resolved, max_mttr: 45s }\n";

// The largest runbook the loader accepts: the seed's, with steps added up to 1 MiB.
QByteArray largestRunbook()
{
    QByteArray text = seedRunbook.left(seedRunbook.indexOf("drill:"));
    for (int i = 0; text.size() < antibody::maxRunbookBytes - 200; ++i)
        text += "  - name: check_" + QByteArray::number(i)
            + "\n    action: query_metrics\n    params: { metric: db_active_connections }\n";
    return text;
}

template <typename F> double microsPerCall(int calls, F &&f)
{
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < calls; ++i)
        f();
    return static_cast<double>(t.nsecsElapsed()) / 1000.0 / calls;
}

} // namespace

ANTIBODY_BENCHMARK(editor)
{
    using namespace antibody;
    const QByteArray large = largestRunbook();
    const QString seedText = QString::fromUtf8(seedRunbook);
    const QString largeText = QString::fromUtf8(large);
    bench::report(u"editor_validate_seed_runbook"_s,
        microsPerCall(2000, [&] { (void)loadRunbookText(seedRunbook, u"x.yaml"_s); }), u"us"_s);
    bench::report(u"editor_validate_1MiB_runbook"_s,
        microsPerCall(5, [&] { (void)loadRunbookText(large, u"x.yaml"_s); }) / 1000.0, u"ms"_s);
    const qsizetype seedAt = seedText.indexOf(u"terminate_connections"_s);
    bench::report(u"editor_complete_seed_runbook"_s,
        microsPerCall(5000, [&] { (void)RunbookCompletion::at(seedText, seedAt); }), u"us"_s);
    const qsizetype largeAt = largeText.lastIndexOf(u"query_metrics"_s);
    bench::report(u"editor_complete_1MiB_runbook"_s,
        microsPerCall(5, [&] { (void)RunbookCompletion::at(largeText, largeAt); }) / 1000.0, u"ms"_s);
    bench::report(u"editor_step_under_cursor_1MiB"_s,
        microsPerCall(5, [&] { (void)YamlOutline(largeText).stepAt(largeAt); }) / 1000.0, u"ms"_s);

    const LoadResult seed = loadRunbookText(seedRunbook, u"connection-pool-exhaustion.yaml"_s);
    if (!seed.runbook)
        return;
    QElapsedTimer t;
    t.start();
    const DrillReport report = sim::SimulatedDrill::run(*seed.runbook, fromMillis(0));
    bench::report(u"drill_connection_pool_exhaustion"_s, static_cast<double>(t.nsecsElapsed()) / 1e6, u"ms"_s);
    bench::report(u"drill_connection_pool_exhaustion_simulated"_s, toSeconds(report.simulated), u"s"_s);
}
