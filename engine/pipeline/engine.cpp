#include "engine/pipeline/engine.h"

#include "engine/pipeline/dryrun.h"
#include "engine/pipeline/engineparts.h"

using namespace Qt::StringLiterals;

namespace antibody {

Engine::Engine(Ports ports, Settings settings, QObject *parent)
    : QObject(parent)
{
    Q_ASSERT(ports.clock && ports.store);
    if (settings.identity.isEmpty())
        settings.identity = u"antibody"_s;
    d = std::make_unique<EngineParts>(*this, std::move(ports), std::move(settings));
}

Engine::~Engine() = default;

void Engine::setRunbooks(const QList<Runbook> &runbooks)
{
    d->setRunbooks(runbooks);
}

QList<Runbook> Engine::runbooks() const
{
    return d->core.runbooks();
}

void Engine::start()
{
    d->start();
}

void Engine::stop()
{
    d->stop();
}

QList<Incident> Engine::incidents() const
{
    return d->book.incidents();
}

std::optional<Incident> Engine::incident(const QString &id) const
{
    if (const IncidentRecord *r = d->book.find(id))
        return r->incident;
    return std::nullopt;
}

std::optional<Proposal> Engine::proposal(const QString &id) const
{
    if (const IncidentRecord *r = d->book.findByProposal(id))
        return r->proposal;
    return std::nullopt;
}

QList<BreakerState> Engine::breakers() const
{
    return d->safeguards.breakers();
}

QList<FeedHealth> Engine::feeds() const
{
    return d->safeguards.feeds();
}

Engine::ApprovalResult Engine::approve(const QString &proposalId, const QString &fingerprint, const QString &approver)
{
    return d->approvals.approve(proposalId, fingerprint, approver);
}

Engine::ApprovalResult Engine::deny(
    const QString &proposalId, const QString &fingerprint, const QString &approver, const QString &reason)
{
    return d->approvals.deny(proposalId, fingerprint, approver, reason);
}

Engine::ApprovalResult Engine::breakGlass(
    const QString &proposalId, const QString &fingerprint, const QString &approver, const QString &reason)
{
    return d->approvals.breakGlass(proposalId, fingerprint, approver, reason);
}

Engine::ApprovalResult Engine::request(
    const QString &proposalId, const QString &fingerprint, const QString &requester, const QString &reason)
{
    return d->approvals.request(proposalId, fingerprint, requester, reason);
}

void Engine::resetBreaker(const QString &type, const QString &who)
{
    d->safeguards.resetBreaker(type, who);
}

void Engine::cancel(const QString &incidentId, const QString &who)
{
    d->execution.cancel(incidentId, who);
}

void Engine::setApprovalsForTier(std::function<int(Tier)> approvals)
{
    d->core.setApprovalsForTier(std::move(approvals));
}

Engine::Credential::Credential(Engine &engine, const QString &keyId)
    : m_engine(engine)
{
    m_engine.d->core.setCredential(keyId);
}

Engine::Credential::~Credential()
{
    m_engine.d->core.setCredential({});
}

void Engine::record(EngineEvent::Kind kind, const QString &incidentId, const QString &detail, const QJsonObject &data)
{
    d->core.publish(d->core.event(kind, incidentId, detail, data));
}

void Engine::dryRun(const Runbook &runbook, const Labels &alertLabels, std::function<void(const Proposal &)> done)
{
    DryRun::start(*d, runbook, alertLabels, std::move(done));
}

} // namespace antibody
