#include "engine/pipeline/engine.h"

#include "engine/pipeline/enginestate.h"

using namespace Qt::StringLiterals;

namespace antibody {

Engine::Engine(Ports ports, Settings settings, QObject *parent)
    : QObject(parent)
{
    Q_ASSERT(ports.clock && ports.store);
    if (settings.identity.isEmpty())
        settings.identity = u"antibody"_s;
    d = std::make_unique<EngineState>(this, std::move(ports), std::move(settings));
}

Engine::~Engine() = default;

void Engine::setRunbooks(const QList<Runbook> &runbooks)
{
    d->setRunbooks(runbooks);
}

QList<Runbook> Engine::runbooks() const
{
    return d->m_runbooks;
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
    QList<Incident> out;
    for (const auto &r : d->m_incidents)
        out << r.incident;
    return out;
}

std::optional<Incident> Engine::incident(const QString &id) const
{
    if (const auto *r = d->record(id))
        return r->incident;
    return std::nullopt;
}

std::optional<Proposal> Engine::proposal(const QString &id) const
{
    if (const auto *r = d->recordForProposal(id))
        return r->proposal;
    return std::nullopt;
}

QList<BreakerState> Engine::breakers() const
{
    return d->m_breakers.all();
}

QList<FeedHealth> Engine::feeds() const
{
    return d->m_feeds.values();
}

Engine::ApprovalResult Engine::approve(const QString &proposalId, const QString &fingerprint, const QString &approver)
{
    return d->approve(proposalId, fingerprint, approver);
}

Engine::ApprovalResult Engine::deny(
    const QString &proposalId, const QString &fingerprint, const QString &approver, const QString &reason)
{
    return d->deny(proposalId, fingerprint, approver, reason);
}

void Engine::resetBreaker(const QString &type, const QString &who)
{
    d->resetBreaker(type, who);
}

void Engine::cancel(const QString &incidentId, const QString &who)
{
    d->cancel(incidentId, who);
}

void Engine::dryRun(const Runbook &runbook, const Labels &alertLabels, std::function<void(const Proposal &)> done)
{
    d->dryRun(runbook, alertLabels, std::move(done));
}

} // namespace antibody
