#include "models/editor/runbooklink.h"

#include "engine/pipeline/engine.h"
#include "engine/rehearsal/triggersubject.h"
#include "models/editor/liveversion.h"
#include "models/link/postback.h"

#include <QDateTime>
#include <QFileInfo>
#include <QPointer>
#include <QThreadPool>

using namespace Qt::StringLiterals;

namespace antibody {
RunbookLink::RunbookLink(DrillRunner drill, QObject *parent)
    : RunbookCommands(parent)
    , m_drill(std::move(drill))
{
}

void RunbookLink::attach(Engine *engine, Clock *clock, MetricSource *metrics, Store *store, QString environment)
{
    m_engine = engine;
    m_clock = clock;
    m_metrics = metrics;
    m_store = store;
    m_environment = std::move(environment);
}

void RunbookLink::onEngine(std::function<void()> work)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, std::move(work), Qt::QueuedConnection);
}

void RunbookLink::onGui(std::function<void()> work)
{
    QMetaObject::invokeMethod(this, std::move(work), Qt::QueuedConnection);
}

QString RunbookLink::replaceIn(QList<Runbook> &live, const Runbook &runbook, QByteArray *replacedHash)
{
    qsizetype at = -1;
    for (qsizetype i = 0; i < live.size() && at < 0; ++i) {
        if (LiveVersion::sameFile(live.at(i).file, runbook.file))
            at = i;
    }
    for (qsizetype i = 0; i < live.size() && at < 0; ++i) {
        if (live.at(i).name == runbook.name)
            at = i;
    }
    for (qsizetype i = 0; i < live.size(); ++i) {
        if (i != at && live.at(i).name == runbook.name)
            return u"%1 already has the name %2: rename one of them"_s.arg(live.at(i).file, runbook.name);
    }
    if (at < 0) {
        live << runbook;
        return {};
    }
    if (replacedHash)
        *replacedHash = live.at(at).sourceHash;
    live[at] = runbook;
    return {};
}

void RunbookLink::install(const Runbook &runbook)
{
    if (!m_engine) {
        Q_EMIT installed(
            runbook.name, runbook.sourceHash, false, tr("the engine is still starting; save again in a moment"));
        return;
    }
    Engine *engine = m_engine;
    onEngine([this, engine, runbook] {
        QList<Runbook> live = engine->runbooks();
        QByteArray before;
        const QString refusal = replaceIn(live, runbook, &before);
        if (refusal.isEmpty())
            engine->setRunbooks(live);
        onGui([this, runbook, refusal, before] {
            if (!refusal.isEmpty()) {
                Q_EMIT installed(runbook.name, runbook.sourceHash, false, refusal);
                return;
            }
            const QString message = before.isEmpty()
                ? tr("version %1 is live (new in the engine)").arg(LiveVersion::shortHash(runbook.sourceHash))
                : before == runbook.sourceHash
                ? tr("version %1 is live (unchanged)").arg(LiveVersion::shortHash(runbook.sourceHash))
                : tr("version %1 is live (replaced %2)")
                      .arg(LiveVersion::shortHash(runbook.sourceHash), LiveVersion::shortHash(before));
            Q_EMIT installed(runbook.name, runbook.sourceHash, true, message);
        });
    });
}

void RunbookLink::dryRun(const Runbook &runbook)
{
    if (!m_engine) {
        DryRunReport report;
        report.runbook = runbook.name;
        report.error = tr("the engine is still starting; try again in a moment");
        Q_EMIT dryRunReady(report);
        return;
    }
    Engine *engine = m_engine;
    Clock *clock = m_clock;
    MetricSource *metrics = m_metrics;
    const QString environment = m_environment;
    onEngine([this, engine, clock, metrics, environment, runbook] {
        QList<Labels> firing;
        for (const Incident &i : engine->incidents()) {
            if (!isFinal(i.state))
                firing << i.labels;
        }
        findTriggerSubject(runbook, *clock, metrics, firing,
            [this, engine, clock, environment, runbook](const TriggerSubject &subject) {
                engine->dryRun(
                    runbook, subject.labels, [this, clock, environment, runbook, subject](const Proposal &proposal) {
                        DryRunReport report;
                        report.runbook = runbook.name;
                        report.runbookHash = runbook.sourceHash;
                        report.environment = environment;
                        report.subject = subject;
                        report.proposal = proposal;
                        report.at = clock->now();
                        onGui([this, report] { Q_EMIT dryRunReady(report); });
                    });
            });
    });
}

void RunbookLink::drill(const Runbook &runbook)
{
    // Stamped with the engine's clock (what the console shows as now), then run on a worker.
    auto start = [this, runbook](TimePoint at) {
        QPointer<RunbookLink> self(this);
        DrillRunner runner = m_drill;
        QThreadPool::globalInstance()->start([self, runner, runbook, at] {
            DrillReport report;
            if (runner) {
                report = runner(runbook, at);
            } else {
                report.result.runbook = runbook.name;
                report.error = u"this console has no simulator to drill in"_s;
            }
            // Dropped on the GUI thread if the console closed while the drill ran.
            postBack(self, [report](RunbookLink &link) { link.finishDrill(report); });
        });
    };
    if (!m_engine) {
        start(fromMillis(QDateTime::currentMSecsSinceEpoch()));
        return;
    }
    Clock *clock = m_clock;
    onEngine([this, clock, start] {
        const TimePoint at = clock->now();
        onGui([start, at] { start(at); });
    });
}

void RunbookLink::finishDrill(const DrillReport &report)
{
    if (report.ran() && m_store) {
        Store *store = m_store;
        const DrillResult result = report.result;
        onEngine([store, result] { store->saveDrill(result); });
    }
    Q_EMIT drillFinished(report);
}

void RunbookLink::loadDrillHistory(const QStringList &runbooks)
{
    if (!m_store)
        return;
    Store *store = m_store;
    onEngine([this, store, runbooks] {
        QList<DrillResult> history;
        for (const QString &name : runbooks) {
            if (auto last = store->lastDrill(name))
                history << *last;
        }
        onGui([this, history] { Q_EMIT drillHistoryLoaded(history); });
    });
}

} // namespace antibody
