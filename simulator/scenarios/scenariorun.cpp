#include "simulator/scenarios/scenariorun.h"

#include "engine/pipeline/incidentid.h"

#include <QJsonArray>
#include <QRandomGenerator>
#include <memory>

using namespace Qt::StringLiterals;

namespace antibody::sim {
namespace {

Engine::Settings settingsFor(const ScenarioRun::Options &options, quint64 seed)
{
    Engine::Settings s;
    // The same seed, the same incident ids: the timeline repeats exactly.
    s.incidentIds = [random = std::make_shared<QRandomGenerator>(static_cast<quint32>(seed ^ (seed >> 32)))] {
        return IncidentId::generate(*random);
    };
    s.identity = options.identity;
    s.levelOverride = options.level;
    s.autoApprove = options.approvals == ScenarioRun::Approvals::Auto;
    s.autoApproveRisky = s.autoApprove; // the simulated fleet: nothing real to harm
    s.keepFinalIncidents = 0; // the report reads every incident of the run
    s.autoApprover = u"simulate --approve auto"_s;
    return s;
}

QString outcomeOf(IncidentState state)
{
    // The words a scenario promises (`resolved`, `escalated`); an interrupted run escalated too.
    switch (state) {
    case IncidentState::Resolved:
        return incidentStateId(IncidentState::Resolved);
    case IncidentState::Escalated:
    case IncidentState::Interrupted:
        return incidentStateId(IncidentState::Escalated);
    default:
        return u"unresolved"_s;
    }
}

QJsonObject proposalJson(const Proposal &p)
{
    return QJsonObject { { u"id"_s, p.id }, { u"incident"_s, p.incidentId }, { u"runbook"_s, p.plan.runbook },
        { u"fingerprint"_s, p.plan.fingerprint }, { u"mode"_s, modeText(p.decision.mode) },
        { u"state"_s, proposalStateText(p.state) }, { u"reasons"_s, QJsonArray::fromStringList(p.decision.reasons) },
        { u"blast_radius"_s, p.blastRadiiJson() }, { u"guardrails"_s, p.guardrailsJson() } };
}

} // namespace

ScenarioRun::ScenarioRun(const Scenario &scenario, Clock &clock, Options options, QObject *parent)
    : QObject(parent)
    , m_scenario(scenario)
    , m_clock(clock)
    , m_options(std::move(options))
    , m_seed(m_options.seed.value_or(scenario.seed))
    , m_startedAt(clock.now())
    , m_timers(clock)
{
    Store *store = m_options.store;
    if (!store) {
        m_ownStore = std::make_unique<MemoryStore>();
        store = m_ownStore.get();
    }
    m_environment = std::make_unique<SimulatedEnvironment>(clock, m_seed);
    m_engine = std::make_unique<Engine>(m_environment->ports(store), settingsFor(m_options, m_seed));
    connect(m_engine.get(), &Engine::event, this, &ScenarioRun::record);
    connect(m_engine.get(), &Engine::proposalChanged, this, [this](const Proposal &p) {
        if (!m_proposals.contains(p.id))
            m_proposalOrder << p.id;
        m_proposals.insert(p.id, p);
    });
    connect(&m_environment->world(), &World::faultInjected, this, [this](const QString &detail) {
        m_faults << Fault { m_clock.now(), detail };
        Q_EMIT faultRecorded(detail);
    });
}

ScenarioRun::~ScenarioRun()
{
    m_engine->stop();
}

void ScenarioRun::start()
{
    m_startedAt = m_clock.now();
    m_environment->play(m_scenario);
    if (m_options.engine) {
        m_engine->setRunbooks(m_options.runbooks);
        m_engine->start();
    }
    m_timers.after(m_scenario.horizon, [this] {
        m_finished = true;
        Q_EMIT finished();
    });
}

void ScenarioRun::record(const EngineEvent &event)
{
    if (m_finished)
        return; // past the horizon: not part of the run
    m_events << event;
    if (event.kind == EngineEvent::Kind::ApprovalRequested && m_options.approvals == Approvals::Deny) {
        // Answered on the next turn, as a human would: never inside the engine's own call.
        m_timers.after(Duration { 0 }, [this, event] { answer(event); });
    }
    Q_EMIT eventRecorded(event);
}

void ScenarioRun::answer(const EngineEvent &request)
{
    m_engine->deny(request.data.value(u"proposal"_s).toString(), request.data.value(u"fingerprint"_s).toString(),
        u"simulate --approve deny"_s, u"denied by --approve deny"_s);
}

QList<Proposal> ScenarioRun::proposals() const
{
    QList<Proposal> out;
    for (const QString &id : m_proposalOrder)
        out << m_proposals.value(id);
    return out;
}

QMap<QString, int> ScenarioRun::actionsExecuted() const
{
    QMap<QString, int> out;
    for (const EngineEvent &e : m_events) {
        if (e.kind == EngineEvent::Kind::StepStarted)
            ++out[e.data.value(u"action"_s).toString()];
    }
    return out;
}

ScenarioRun::Result ScenarioRun::result() const
{
    QList<Incident> incidents = m_engine->incidents();
    std::sort(incidents.begin(), incidents.end(), [](const Incident &a, const Incident &b) {
        return a.detectedAt < b.detectedAt || (a.detectedAt == b.detectedAt && a.id < b.id);
    });
    QStringList drilled;
    for (const Runbook &rb : m_options.runbooks) {
        if (rb.drill && rb.drill->scenario == m_scenario.name)
            drilled << rb.name;
    }
    const Incident *chosen = nullptr;
    for (const auto &prefer :
        { std::function<bool(const Incident &)>([&](const Incident &i) { return drilled.contains(i.runbook); }),
            std::function<bool(const Incident &)>([](const Incident &i) { return !i.runbook.isEmpty(); }),
            std::function<bool(const Incident &)>([](const Incident &) { return true; }) }) {
        for (const Incident &i : incidents) {
            if (!chosen && prefer(i))
                chosen = &i;
        }
    }
    if (!chosen)
        return { u"unresolved"_s, std::nullopt, std::nullopt };
    Result r { outcomeOf(chosen->state), std::nullopt, *chosen };
    if (chosen->state == IncidentState::Resolved && chosen->resolvedAt)
        r.mttr = *chosen->resolvedAt - chosen->detectedAt;
    return r;
}

QString ScenarioRun::approvalsText(Approvals a)
{
    switch (a) {
    case Approvals::Auto:
        return u"auto"_s;
    case Approvals::Deny:
        return u"deny"_s;
    case Approvals::None:
        return u"none"_s;
    }
    return {};
}

QJsonObject ScenarioRun::toJson() const
{
    const Result r = result();
    QJsonArray events;
    for (const EngineEvent &e : m_events) {
        events.append(QJsonObject { { u"t"_s, secondsAt(e.at) }, { u"kind"_s, e.kindName() }, { u"detail"_s, e.detail },
            { u"incident"_s, e.incidentId } });
    }
    QJsonArray proposals;
    for (const Proposal &p : this->proposals())
        proposals.append(proposalJson(p));
    QJsonObject actions;
    const QMap<QString, int> executed = actionsExecuted();
    for (auto it = executed.cbegin(); it != executed.cend(); ++it)
        actions.insert(it.key(), it.value());
    QJsonArray faults;
    for (const Fault &f : m_faults)
        faults.append(QJsonObject { { u"t"_s, secondsAt(f.at) }, { u"detail"_s, f.detail } });
    QJsonArray incidents;
    for (const Incident &i : m_engine->incidents()) {
        QJsonObject o { { u"id"_s, i.id }, { u"title"_s, i.title }, { u"service"_s, i.service },
            { u"runbook"_s, i.runbook }, { u"state"_s, incidentStateText(i.state) },
            { u"detected_t"_s, secondsAt(i.detectedAt) } };
        if (i.resolvedAt)
            o.insert(u"resolved_t"_s, secondsAt(*i.resolvedAt));
        incidents.append(o);
    }
    QJsonObject expected { { u"outcome"_s, m_scenario.expect.outcome } };
    if (m_scenario.expect.maxMttr)
        expected.insert(u"max_mttr_seconds"_s, toSeconds(*m_scenario.expect.maxMttr));
    QJsonObject out {
        { u"scenario"_s, m_scenario.name },
        { u"seed"_s, QString::number(m_seed) },
        { u"level"_s, m_options.level ? QJsonValue(*m_options.level) : QJsonValue() },
        { u"approve"_s, approvalsText(m_options.approvals) },
        { u"started_at"_s, formatTime(m_startedAt) },
        { u"horizon_seconds"_s, toSeconds(m_scenario.horizon) },
        { u"outcome"_s, r.outcome },
        { u"mttr_seconds"_s, r.mttr ? QJsonValue(toSeconds(*r.mttr)) : QJsonValue() },
        { u"incident"_s, r.incident ? QJsonValue(r.incident->id) : QJsonValue() },
        { u"runbook"_s, r.incident ? QJsonValue(r.incident->runbook) : QJsonValue() },
        { u"expected"_s, expected },
        { u"events"_s, events },
        { u"proposals"_s, proposals },
        { u"actions_executed"_s, actions },
        { u"faults"_s, faults },
        { u"incidents"_s, incidents },
        { u"pages"_s, static_cast<int>(m_environment->pager()->pages().size()) },
        { u"evidence_lost"_s, QJsonArray::fromStringList(m_environment->world().fleet().evidenceLost) },
    };
    return out;
}

} // namespace antibody::sim
