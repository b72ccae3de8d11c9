#include "models/link/enginelink.h"

#include "engine/pipeline/engine.h"
#include "models/link/consolemodels.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

bool accepted(Engine::ApprovalResult::Status status)
{
    return status == Engine::ApprovalResult::Status::Executing || status == Engine::ApprovalResult::Status::NeedsMore;
}

} // namespace

EngineLink::EngineLink(ConsoleModels *models, QString approver, QObject *parent)
    : EngineCommands(parent)
    , m_models(models)
    , m_approver(std::move(approver))
{
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &EngineLink::tick);
}

void EngineLink::onEngine(std::function<void()> work)
{
    if (m_engine)
        QMetaObject::invokeMethod(m_engine, std::move(work), Qt::QueuedConnection);
}

void EngineLink::onGui(std::function<void()> work)
{
    QMetaObject::invokeMethod(this, std::move(work), Qt::QueuedConnection);
}

void EngineLink::attach(Engine *engine, Clock *clock, MetricSource *metrics)
{
    m_engine = engine;
    m_clock = clock;
    m_metrics = metrics;
    // Cross-thread connections: the engine emits on its thread, the lambdas run on ours.
    ConsoleModels *models = m_models;
    connect(engine, &Engine::event, this, [this, models](const EngineEvent &e) {
        models->addEvent(e);
        if (e.kind == EngineEvent::Kind::RunbookLoaded || e.kind == EngineEvent::Kind::RunbookRejected) {
            Engine *engine = m_engine;
            onEngine([this, engine] {
                const QList<Runbook> runbooks = engine->runbooks();
                onGui([this, runbooks] { m_models->setRunbooks(runbooks); });
            });
        }
    });
    connect(engine, &Engine::incidentChanged, this, [models](const Incident &i) { models->updateIncident(i); });
    connect(engine, &Engine::proposalChanged, this, [models](const Proposal &p) { models->updateProposal(p); });
    connect(engine, &Engine::breakerChanged, this, [models](const BreakerState &b) { models->updateBreaker(b); });
    connect(engine, &Engine::feedChanged, this, [models](const FeedHealth &f) { models->updateFeed(f); });
    loadSnapshot();
    m_ticker.start();
}

void EngineLink::loadSnapshot()
{
    Engine *engine = m_engine;
    Clock *clock = m_clock;
    onEngine([this, engine, clock] {
        struct Snapshot
        {
            QList<Runbook> runbooks;
            QList<Incident> incidents;
            QList<Proposal> proposals;
            QList<BreakerState> breakers;
            QList<FeedHealth> feeds;
            TimePoint now;
        };
        auto s = std::make_shared<Snapshot>();
        s->runbooks = engine->runbooks();
        s->incidents = engine->incidents();
        for (const Incident &i : std::as_const(s->incidents)) {
            if (!i.proposalId.isEmpty()) {
                if (auto p = engine->proposal(i.proposalId))
                    s->proposals << *p;
            }
        }
        s->breakers = engine->breakers();
        s->feeds = engine->feeds();
        s->now = clock->now();
        onGui([this, s] {
            m_models->setRunbooks(s->runbooks);
            for (const Incident &i : std::as_const(s->incidents))
                m_models->updateIncident(i);
            for (const Proposal &p : std::as_const(s->proposals))
                m_models->updateProposal(p);
            for (const BreakerState &b : std::as_const(s->breakers))
                m_models->updateBreaker(b);
            for (const FeedHealth &f : std::as_const(s->feeds))
                m_models->updateFeed(f);
            m_models->setNow(s->now);
            m_models->flush();
            Q_EMIT attached();
        });
    });
}

void EngineLink::tick()
{
    Clock *clock = m_clock;
    onEngine([this, clock] {
        const TimePoint now = clock->now();
        onGui([this, now] { m_models->setNow(now); });
    });
}

void EngineLink::approve(const QString &proposalId, const QString &fingerprint)
{
    Engine *engine = m_engine;
    const QString approver = m_approver;
    if (!engine) {
        Q_EMIT answered(proposalId, false, tr("the engine is still starting; try again in a moment"));
        return;
    }
    onEngine([this, engine, proposalId, fingerprint, approver] {
        const auto result = engine->approve(proposalId, fingerprint, approver);
        onGui([this, proposalId, result] { Q_EMIT answered(proposalId, accepted(result.status), result.reason); });
    });
}

void EngineLink::deny(const QString &proposalId, const QString &fingerprint, const QString &reason)
{
    Engine *engine = m_engine;
    const QString approver = m_approver;
    if (!engine) {
        Q_EMIT answered(proposalId, false, tr("the engine is still starting; try again in a moment"));
        return;
    }
    onEngine([this, engine, proposalId, fingerprint, approver, reason] {
        const auto result = engine->deny(proposalId, fingerprint, approver, reason);
        // ApprovalResult has no "denied" status: the proposal's state says whether the denial took.
        const auto after = engine->proposal(proposalId);
        const bool ok = after && after->state == Proposal::State::Denied;
        onGui([this, proposalId, ok, result] { Q_EMIT answered(proposalId, ok, result.reason); });
    });
}

void EngineLink::request(const QString &proposalId, const QString &fingerprint, const QString &reason)
{
    Engine *engine = m_engine;
    const QString requester = m_approver;
    if (!engine) {
        Q_EMIT answered(proposalId, false, tr("the engine is still starting; try again in a moment"));
        return;
    }
    onEngine([this, engine, proposalId, fingerprint, requester, reason] {
        const auto result = engine->request(proposalId, fingerprint, requester, reason);
        const bool ok = result.status == Engine::ApprovalResult::Status::NeedsMore;
        onGui([this, proposalId, ok, result] { Q_EMIT answered(proposalId, ok, result.reason); });
    });
}

void EngineLink::resetBreaker(const QString &type)
{
    Engine *engine = m_engine;
    const QString who = m_approver;
    onEngine([engine, type, who] { engine->resetBreaker(type, who); });
}

void EngineLink::cancel(const QString &incidentId)
{
    Engine *engine = m_engine;
    const QString who = m_approver;
    onEngine([engine, incidentId, who] { engine->cancel(incidentId, who); });
}

void EngineLink::readWindow(const QList<MetricQuery> &queries, Duration span, Duration step, QObject *context,
    std::function<void(const Window &)> done)
{
    if (!m_engine || !m_metrics || queries.isEmpty())
        return;
    struct Pending
    {
        Window window;
        int waiting = 0;
    };
    MetricSource *metrics = m_metrics;
    Clock *clock = m_clock;
    QPointer<QObject> guard(context); // read on the GUI thread only
    onEngine([this, metrics, clock, queries, span, step, guard, done = std::move(done)] {
        auto pending = std::make_shared<Pending>();
        pending->window.now = clock->now();
        pending->window.results.resize(queries.size());
        pending->waiting = static_cast<int>(queries.size());
        for (qsizetype i = 0; i < queries.size(); ++i) {
            metrics->queryRange(queries.at(i), pending->window.now - span, pending->window.now, step,
                [this, pending, i, guard, done](const RangeResult &result) {
                    pending->window.results[i] = result;
                    if (--pending->waiting > 0)
                        return;
                    onGui([pending, guard, done] {
                        if (guard)
                            done(pending->window);
                    });
                });
        }
    });
}

} // namespace antibody
