#include "engine/pipeline/enginecore.h"

using namespace Qt::StringLiterals;

namespace antibody {

EngineCore::EngineCore(Engine &engine, Engine::Ports ports, Engine::Settings settings)
    : m_engine(engine)
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
}

EngineCore::~EngineCore() = default;

ActionExecutor *EngineCore::executorFor(const QString &family) const
{
    for (ActionExecutor *e : m_ports.executors) {
        if (e->family() == family)
            return e;
    }
    return nullptr;
}

void EngineCore::setRunbooks(const QList<Runbook> &runbooks)
{
    m_runbooks = runbooks;
    m_index.rebuild(runbooks);
    for (const Runbook &rb : runbooks)
        publish(
            event(EngineEvent::Kind::RunbookLoaded, {}, u"runbook %1 (level %2) is live"_s.arg(rb.name).arg(rb.level),
                { { u"runbook"_s, rb.name }, { u"file"_s, rb.file },
                    { u"hash"_s, QString::fromLatin1(rb.sourceHash.toHex().left(12)) } }));
}

const Runbook *EngineCore::runbookNamed(const QString &name) const
{
    for (const Runbook &rb : m_runbooks) {
        if (rb.name == name)
            return &rb;
    }
    return nullptr;
}

int EngineCore::levelOf(const Runbook &runbook) const
{
    return m_settings.levelOverride.value_or(runbook.level);
}

QString EngineCore::resourceOf(const Incident &incident)
{
    return u"service/"_s + incident.service;
}

EngineEvent EngineCore::event(
    EngineEvent::Kind kind, const QString &incidentId, const QString &detail, QJsonObject data) const
{
    // A person's decision names the API token it came through (its id, never the token):
    // the audit trail says who, and with which credential (docs/team.md, "Identities").
    using Kind = EngineEvent::Kind;
    const bool decision = kind == Kind::Approved || kind == Kind::Denied || kind == Kind::ApprovalRefused
        || kind == Kind::Cancelled || kind == Kind::BreakerReset;
    if (decision && !m_credential.isEmpty())
        data.insert(QStringLiteral("key_id"), m_credential);
    return EngineEvent::make(kind, m_ports.clock->now(), incidentId, detail, std::move(data));
}

int EngineCore::approvalsFor(const Runbook &runbook, const Plan &plan) const
{
    int people = std::max(1, runbook.approvals);
    if (!m_approvalsForTier || plan.steps.isEmpty())
        return people;
    return std::max(people, m_approvalsForTier(plan.strictestTier()));
}

void EngineCore::publish(EngineEvent e)
{
    // The audit trail first: what observers see is always already recorded.
    m_ports.store->append(e);
    Q_EMIT m_engine.event(e);
}

} // namespace antibody
