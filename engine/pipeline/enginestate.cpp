#include "engine/pipeline/enginestate.h"

#include "engine/runbook/actioncatalog.h"

#include <QJsonArray>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {

EngineState::EngineState(Engine *engine, Engine::Ports ports, Engine::Settings settings)
    : q(engine)
    , m_ports(std::move(ports))
    , m_settings(std::move(settings))
{
    // Every notification carries the audit checkpoint; the wrappers stand in for the notifiers.
    QList<Notifier *> checkpointing;
    for (Notifier *n : std::as_const(m_ports.notifiers)) {
        m_checkpointing.push_back(std::make_unique<CheckpointingNotifier>(*n, *m_ports.store));
        checkpointing << m_checkpointing.back().get();
    }
    m_ports.notifiers = checkpointing;
    m_triggers = std::make_unique<TriggerEvaluator>(
        *m_ports.clock, m_ports.metrics, m_settings.evaluationInterval, m_settings.freshnessBound,
        [this](const QList<AlertChange> &changes) { onAlertChanges(changes); },
        [this](const FeedHealth &health) { feedChanged(health); });
}

EngineState::~EngineState()
{
    m_triggers.reset();
    for (IncidentRecord &r : m_incidents) {
        cancelTimers(r);
        if (r.run)
            r.run->detach();
    }
}

EngineEvent EngineState::event(
    EngineEvent::Kind kind, const QString &incidentId, const QString &detail, QJsonObject data) const
{
    return EngineEvent::make(kind, m_ports.clock->now(), incidentId, detail, std::move(data));
}

void EngineState::publish(EngineEvent e)
{
    // The audit trail first: what observers see is always already recorded.
    m_ports.store->append(e);
    Q_EMIT q->event(e);
}

EngineState::IncidentRecord *EngineState::record(const QString &incidentId)
{
    const auto it = m_incidents.find(incidentId);
    return it == m_incidents.end() ? nullptr : &it.value();
}

EngineState::IncidentRecord *EngineState::recordForProposal(const QString &proposalId)
{
    for (IncidentRecord &r : m_incidents) {
        if ((r.proposal && r.proposal->id == proposalId) || r.pastProposals.contains(proposalId))
            return &r;
    }
    return nullptr;
}

Incident *EngineState::incident(const QString &id)
{
    IncidentRecord *r = record(id);
    return r ? &r->incident : nullptr;
}

void EngineState::saveIncident(const IncidentRecord &r)
{
    m_ports.store->saveIncident(r.incident);
    Q_EMIT q->incidentChanged(r.incident);
}

void EngineState::incidentUpdated(const QString &incidentId)
{
    if (IncidentRecord *r = record(incidentId))
        saveIncident(*r);
}

void EngineState::transition(const QString &incidentId, IncidentState state, const QString &reason)
{
    IncidentRecord *r = record(incidentId);
    if (!r || (r->incident.state == state && !r->incident.history.isEmpty()))
        return;
    Transition t { state, m_ports.clock->now(), reason };
    r->incident.state = state;
    r->incident.history << t;
    if (state == IncidentState::Resolved)
        r->incident.resolvedAt = t.at;
    if (isFinal(state)) {
        m_finalOrder << incidentId;
        if (m_settings.keepFinalIncidents > 0 && m_finalOrder.size() > m_settings.keepFinalIncidents
            && !m_forgetScheduled) {
            // On the next turn: whoever called this may still hold records.
            m_forgetScheduled = true;
            m_ports.clock->callAfter(Duration { 0 }, guarded([this] { forgetFinalIncidents(); }));
        }
    }
    saveIncident(*r);
    publish(event(EngineEvent::Kind::StateChanged, incidentId, u"%1: %2"_s.arg(incidentStateText(state), reason),
        { { u"state"_s, incidentStateText(state) } }));
}

int EngineState::levelOf(const Runbook &runbook) const
{
    return m_settings.levelOverride.value_or(runbook.level);
}

ActionExecutor *EngineState::executorFor(const QString &family)
{
    for (ActionExecutor *e : std::as_const(m_ports.executors)) {
        if (e->family() == family)
            return e;
    }
    return nullptr;
}

StepRunner::Context EngineState::stepContext(const QString &incidentId)
{
    StepRunner::Context ctx;
    ctx.clock = m_ports.clock;
    ctx.metrics = m_ports.metrics;
    ctx.executorFor = [this](const QString &family) { return executorFor(family); };
    ctx.notifiers = m_ports.notifiers;
    // Verification looks no less often than triggers are evaluated: on a stack
    // that scrapes every second, a 5 s poll would add seconds to every recovery.
    ctx.pollInterval = std::min(ctx.pollInterval, m_settings.evaluationInterval);
    if (IncidentRecord *r = record(incidentId)) {
        ctx.incident = r->incident;
        ctx.pagedSeverity = r->pagedSeverity;
    }
    return ctx;
}

QString EngineState::blockerBeforePass(const QString &incidentId, const QString &step)
{
    IncidentRecord *r = record(incidentId);
    if (!r)
        return u"the incident is gone"_s;
    applyGuards(*r);
    if (!r->incident.guards.isEmpty()) {
        const PlannedStep *ps = r->proposal ? r->proposal->plan.step(step) : nullptr;
        if (!ps || ps->tier == Tier::Safe)
            return guardReason(*r->incident.guards.begin());
    }
    const BreakerState b = m_breakers.state(r->runbook.name, r->runbook.breaker, m_ports.clock->now());
    if (b.state == BreakerState::State::Open && r->automated)
        return u"the breaker for %1 opened"_s.arg(r->runbook.name);
    for (const FeedHealth &f : std::as_const(m_feeds)) {
        if (f.state != FeedHealth::State::Healthy && r->automated)
            return u"%1 is %2 (%3): no action on stale data"_s.arg(f.feed, feedStateText(f.state), f.reason);
    }
    return {};
}

void EngineState::feedChanged(const FeedHealth &health)
{
    const FeedHealth before = m_feeds.value(health.feed);
    m_feeds.insert(health.feed, health);
    if (before.state == health.state && !before.feed.isEmpty())
        return;
    publish(event(EngineEvent::Kind::FeedChanged, {},
        u"%1 is %2: %3"_s.arg(health.feed, feedStateText(health.state), health.reason),
        { { u"feed"_s, health.feed }, { u"state"_s, feedStateText(health.state) } }));
    Q_EMIT q->feedChanged(health);
}

void EngineState::setRunbooks(const QList<Runbook> &runbooks)
{
    m_runbooks = runbooks;
    m_index.rebuild(runbooks);
    m_triggers->setRunbooks(runbooks);
    for (const Runbook &rb : runbooks)
        publish(
            event(EngineEvent::Kind::RunbookLoaded, {}, u"runbook %1 (level %2) is live"_s.arg(rb.name).arg(rb.level),
                { { u"runbook"_s, rb.name }, { u"file"_s, rb.file },
                    { u"hash"_s, QString::fromLatin1(rb.sourceHash.toHex().left(12)) } }));
}

void EngineState::start()
{
    if (m_started)
        return;
    m_started = true;
    // A store that cannot write is a feed that is down: shown, and automated actions wait.
    // On the next turn: the store tells it from inside a write.
    m_ports.store->watchHealth(guarded([this](const FeedHealth &health) {
        m_ports.clock->callAfter(Duration { 0 }, guarded([this, health] { feedChanged(health); }));
    }));
    m_breakers.restore(m_ports.store->loadBreakers());
    for (const Cooldown &c : m_ports.store->loadCooldowns())
        m_cooldowns.insert(c.resource, c);
    // The rate limit counts what ran before a restart too.
    m_automatedRuns = m_ports.store->automatedRunsSince(m_ports.clock->now() - m_settings.rateWindow);
    recover();
    for (AlertSource *source : std::as_const(m_ports.alertSources)) {
        QObject::connect(
            source, &AlertSource::alertsChanged, q, [this](const QList<AlertChange> &c) { onAlertChanges(c); });
        QObject::connect(source, &AlertSource::healthChanged, q, [this](const FeedHealth &h) { feedChanged(h); });
        source->start();
    }
    m_triggers->start();
}

void EngineState::stop()
{
    m_triggers->stop();
    for (AlertSource *source : std::as_const(m_ports.alertSources)) {
        source->stop();
        QObject::disconnect(source, nullptr, q, nullptr);
    }
    m_started = false;
}

void EngineState::cancelTimers(IncidentRecord &r)
{
    for (Clock::TimerId *t : { &r.retryTimer, &r.expiryTimer, &r.refreshTimer }) {
        if (*t)
            m_ports.clock->cancel(*t);
        *t = 0;
    }
}

void EngineState::recover()
{
    // Executions a crash left in flight: their outcome is unknown. They are never
    // re-run; a human gets what the store knows about them. What they may have done
    // counts as a run that failed: the resource cools down, the breaker counts it, and
    // the next run there waits for a human (the `interrupted` guardrail). Otherwise an
    // engine that crashes mid-execution would re-run its fix on every start.
    for (const ExecutionRecord &x : m_ports.store->unfinishedExecutions()) {
        const TimePoint now = m_ports.clock->now();
        QStringList steps;
        QStringList inFlight;
        for (StepRecord s : x.steps) {
            if (s.outcome.isEmpty()) {
                s.outcome = u"unknown"_s; // not "in flight" for ever: nobody will finish it
                s.finishedAt = now;
                s.detail = u"the process stopped while this step ran: what it did is unknown"_s;
                m_ports.store->recordStepOutcome(s);
                inFlight << s.step;
            }
            steps << u"%1 pass %2 on %3: %4"_s.arg(s.step).arg(s.pass).arg(s.targets.join(u", "_s), s.outcome);
        }
        m_ports.store->finishExecution(x.id, u"interrupted"_s, now);
        const QString detail
            = u"execution %1 was interrupted (the process stopped while it ran); outcome unknown, not re-run%2"_s.arg(
                x.id, inFlight.isEmpty() ? QString() : u"; in flight: "_s + inFlight.join(u", "_s));
        publish(event(EngineEvent::Kind::Interrupted, x.incidentId, detail,
            { { u"execution"_s, x.id }, { u"proposal"_s, x.proposalId },
                { u"steps"_s, QJsonArray::fromStringList(steps) } }));
        const QString consequences = countInterruption(x, now);
        Notification n;
        n.kind = Notification::Kind::Page;
        n.dedupKey = x.incidentId;
        n.incidentId = x.incidentId;
        n.severity = u"high"_s;
        n.summary = detail + consequences;
        n.details = QJsonObject { { u"execution"_s, x.id }, { u"executor"_s, x.executor },
            { u"steps"_s, QJsonArray::fromStringList(steps) } };
        for (Notifier *notifier : std::as_const(m_ports.notifiers))
            notifier->send(n, [](const NotifyResult &) {});
        const QString escalated = u"escalated with its stored context: %1"_s.arg(steps.join(u"; "_s));
        if (IncidentRecord *r = record(x.incidentId)) {
            transition(x.incidentId, IncidentState::Escalated, detail);
            closeProblem(*r);
        } else
            m_ports.store->closeIncident(x.incidentId, IncidentState::Escalated, detail, now);
        publish(event(EngineEvent::Kind::Escalated, x.incidentId, escalated, { { u"execution"_s, x.id } }));
    }
}

QString EngineState::countInterruption(const ExecutionRecord &x, TimePoint now)
{
    const Runbook *rb = runbookNamed(x.runbook);
    const Runbook defaults;
    QString out;
    if (!x.resource.isEmpty()) {
        const Duration cooldown = (rb ? rb : &defaults)->cooldown;
        const Cooldown c { x.resource, now + cooldown, u"%1 was interrupted (outcome unknown)"_s.arg(x.id) };
        m_cooldowns.insert(c.resource, c);
        m_ports.store->saveCooldown(c);
        publish(event(EngineEvent::Kind::CooldownStarted, x.incidentId,
            u"cooldown on %1 until %2 (%3): an interrupted remediation may have acted"_s.arg(
                c.resource, formatTime(c.until), formatDuration(cooldown)),
            { { u"resource"_s, c.resource }, { u"until"_s, formatTime(c.until) } }));
        out += u"; %1 cools down until %2 and its next run waits for a human"_s.arg(c.resource, formatTime(c.until));
    }
    if (!x.runbook.isEmpty()) {
        const BreakerSpec &spec = (rb ? rb : &defaults)->breaker;
        const auto t = m_breakers.recordFailure(x.runbook, spec, now, u"%1 was interrupted"_s.arg(x.id));
        m_ports.store->saveBreaker(t.state);
        Q_EMIT q->breakerChanged(t.state);
        if (t.changed && t.state.state == BreakerState::State::Open) {
            const QString why
                = u"breaker for %1 opened: %2 failures within %3 (interrupted runs count); automation of this remediation halts until a human resets it (or %4 pass)"_s
                      .arg(x.runbook)
                      .arg(t.state.failures.size())
                      .arg(formatDuration(spec.window), formatDuration(spec.coolOff));
            publish(event(EngineEvent::Kind::BreakerOpened, x.incidentId, why,
                { { u"type"_s, x.runbook }, { u"failures"_s, int(t.state.failures.size()) } }));
            out += u"; "_s + why;
        }
    }
    return out;
}

const Runbook *EngineState::runbookNamed(const QString &name) const
{
    for (const Runbook &rb : m_runbooks) {
        if (rb.name == name)
            return &rb;
    }
    return nullptr;
}

} // namespace antibody
