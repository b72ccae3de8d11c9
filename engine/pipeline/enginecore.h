#pragma once

#include "engine/core/lifetoken.h"
#include "engine/pipeline/checkpointingnotifier.h"
#include "engine/pipeline/engine.h"
#include "engine/pipeline/runbookindex.h"

#include <memory>
#include <vector>

namespace antibody {

// What every part of the engine shares: its ports and settings, the live runbooks,
// and the one way it publishes what it does (the audit trail first, then observers).
class EngineCore
{
public:
    EngineCore(Engine &engine, Engine::Ports ports, Engine::Settings settings);
    ~EngineCore();

    Engine &engine() const { return m_engine; } // the facade: signals, and the context of connections
    Clock &clock() const { return *m_ports.clock; }
    Store &store() const { return *m_ports.store; }
    MetricSource *metrics() const { return m_ports.metrics; }
    const QList<AlertSource *> &alertSources() const { return m_ports.alertSources; }
    const QList<Notifier *> &notifiers() const { return m_ports.notifiers; } // each stamps the audit checkpoint
    const Engine::Settings &settings() const { return m_settings; }
    ActionExecutor *executorFor(const QString &family) const;

    void setRunbooks(const QList<Runbook> &runbooks);
    void setApprovalsForTier(std::function<int(Tier)> approvals) { m_approvalsForTier = std::move(approvals); }
    // The API token id the decision being taken came through; empty: none (Engine::Credential).
    void setCredential(const QString &keyId) { m_credential = keyId; }
    // The people a plan needs: its runbook's `approvals:`, or the policy's for its tier if more.
    int approvalsFor(const Runbook &runbook, const Plan &plan) const;
    const QList<Runbook> &runbooks() const { return m_runbooks; }
    const Runbook *runbookNamed(const QString &name) const;
    const RunbookIndex &index() const { return m_index; }
    int levelOf(const Runbook &runbook) const;
    // What a remediation of the incident acts on: cooldowns and the busy lease are per resource.
    static QString resourceOf(const Incident &incident);

    EngineEvent event(
        EngineEvent::Kind kind, const QString &incidentId, const QString &detail, QJsonObject data = {}) const;
    void publish(EngineEvent event);

    // Async callbacks (timers, steps, notifiers) outlive the engine: wrapped, they do
    // nothing once it is gone.
    template <typename F> auto guarded(F f) const { return m_life.guard(std::move(f)); }

private:
    Engine &m_engine;
    std::vector<std::unique_ptr<CheckpointingNotifier>> m_checkpointing; // what m_ports.notifiers points to
    Engine::Ports m_ports;
    Engine::Settings m_settings;
    QList<Runbook> m_runbooks;
    RunbookIndex m_index;
    LifeToken m_life;
    std::function<int(Tier)> m_approvalsForTier;
    QString m_credential;
};

} // namespace antibody
