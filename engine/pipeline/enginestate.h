#pragma once

#include "engine/pipeline/checkpointingnotifier.h"
#include "engine/pipeline/circuitbreaker.h"
#include "engine/pipeline/engine.h"
#include "engine/pipeline/executionhost.h"
#include "engine/pipeline/executionrun.h"
#include "engine/pipeline/guardrails.h"
#include "engine/pipeline/planner.h"
#include "engine/pipeline/runbookindex.h"
#include "engine/pipeline/triggerevaluator.h"

#include <QHash>
#include <QMap>
#include <memory>

namespace antibody {

// The engine's state and rules behind the Engine facade. Split by stage:
// enginestate.cpp (events, ports, execution host), intake.cpp (alerts to
// incidents), proposing.cpp (diagnose, plan, guardrails, decide, approve,
// execute, resolve or escalate).
class EngineState : public ExecutionHost
{
public:
    struct IncidentRecord
    {
        Incident incident;
        Runbook runbook; // the version the incident started with
        std::optional<Proposal> proposal;
        QHash<QString, Proposal::State> pastProposals; // superseded, expired: approvals of them are refused with why
        std::shared_ptr<ExecutionRun> run;
        QString executionId;
        bool automated = false;
        bool planning = false;
        bool replanQueued = false;
        bool forceNewProposal = false; // the last one expired: even the same plan gets a new id
        QString pagedSeverity; // the most urgent page sent about this incident; empty: none
        std::optional<TimePoint> waitingSince; // since when a human's answer is awaited
        int attempts = 0; // remediation runs of this incident that did not resolve it
        QString problemKey; // the problem it answers, while it is open: one incident per problem
        QString lastBlock; // the block reason last announced, so waiting is said once
        int proposalSeq = 0;
        Clock::TimerId retryTimer = 0;
        Clock::TimerId expiryTimer = 0;
        Clock::TimerId refreshTimer = 0;
        std::optional<int> batchLimit;
        QString batchReason;
    };

    EngineState(Engine *engine, Engine::Ports ports, Engine::Settings settings);
    ~EngineState() override;

    // ExecutionHost
    Clock *clock() override { return m_ports.clock; }
    Store *store() override { return m_ports.store; }
    StepRunner::Context stepContext(const QString &incidentId) override;
    ActionExecutor *executorFor(const QString &family) override;
    Incident *incident(const QString &id) override;
    void publish(EngineEvent event) override;
    void transition(const QString &incidentId, IncidentState state, const QString &reason) override;
    void incidentUpdated(const QString &incidentId) override;
    void notePaged(const QString &incidentId, const QString &severity) override;
    QString blockerBeforePass(const QString &incidentId, const QString &step) override;
    void executionFinished(const QString &incidentId, const ExecutionSummary &summary) override;

    // runbooks and lifecycle
    void setRunbooks(const QList<Runbook> &runbooks);
    void start();
    void stop();
    void feedChanged(const FeedHealth &health);

    // intake.cpp
    void onAlertChanges(const QList<AlertChange> &changes);
    void alertFiring(const Alert &alert);
    void alertResolved(const Alert &alert);
    const Runbook *matchRunbook(const Alert &alert) const;
    // "; <runbook> matches <alert> but its `services` do not list <service>", or empty.
    QString passedOverText(const Alert &alert) const;
    void openIncident(const Alert &alert, const Runbook *runbook);
    // Final incidents beyond Settings::keepFinalIncidents leave memory, oldest first: the store keeps them.
    void forgetFinalIncidents();
    void applyGuards(IncidentRecord &record);

    // proposing.cpp
    void diagnose(const QString &incidentId);
    void runDiagnosisStep(const QString &incidentId, int index);
    void plan(const QString &incidentId, const QString &why);
    void planned(const QString &incidentId, const Planner::Result &result);
    Proposal makeProposal(
        IncidentRecord &record, const Plan &plan, const QStringList &missing, const QStringList &fleetErrors);
    GuardrailInput guardrailInput(IncidentRecord &record, const Plan &plan, const QStringList &missing);
    void act(const QString &incidentId, bool isNew, const QStringList &differences);
    // Approvals of the current plan that another process recorded in the store (another
    // console, `antibodyctl approve`): taken in and announced. True when they complete the quorum.
    bool takeStoredApprovals(IncidentRecord &record);
    void armWaitingTimers(const QString &incidentId);
    // Why `--approve auto` must leave this plan to a human (approve-tier steps, a
    // never-automate guard), or empty when it is safe-tier throughout.
    QString riskyForAutoApproval(const IncidentRecord &record) const;
    std::optional<TimePoint> armRetry(const QString &incidentId); // nullopt: the block needs a human
    Engine::ApprovalResult approve(const QString &proposalId, const QString &fingerprint, const QString &approver);
    Engine::ApprovalResult deny(
        const QString &proposalId, const QString &fingerprint, const QString &approver, const QString &reason);
    Engine::ApprovalResult execute(const QString &incidentId, const QStringList &approvers);
    void refreshChecks(IncidentRecord &record); // guardrails and mode again, on the same plan
    void escalate(const QString &incidentId, const QString &reason, bool alreadyPaged);
    void page(const IncidentRecord &record, const QString &summary, const QString &severity, QJsonObject extra = {});
    // Once per problem: a page about an incident already paged as urgently adds nothing.
    static bool pageSaysSomethingNew(const QString &pagedSeverity, const QString &severity);
    void waitForAnswer(IncidentRecord &record);
    Duration pageWaitingAfter(const IncidentRecord &record) const;
    void pageAboutWaiting(const QString &incidentId, TimePoint since);
    // A level 3 remediation that failed while its alert still fires tries again within
    // the same incident, until its breaker opens or it used up its attempts.
    bool tryAgain(IncidentRecord &record, const ExecutionSummary &summary);
    void notifyAfter(const IncidentRecord &record, const QString &summary);
    void resolve(const QString &incidentId, const QString &reason, const QJsonObject &extra = {});
    void cancelTimers(IncidentRecord &record);
    void recover();
    // What an interrupted execution costs: its resource's cooldown and a breaker failure.
    // Returns what that means, for the page.
    QString countInterruption(const ExecutionRecord &x, TimePoint now);
    const Runbook *runbookNamed(const QString &name) const;
    void cancel(const QString &incidentId, const QString &who);
    void resetBreaker(const QString &type, const QString &who);
    void dryRun(const Runbook &runbook, const Labels &labels, std::function<void(const Proposal &)> done);

    IncidentRecord *record(const QString &incidentId);
    IncidentRecord *recordForProposal(const QString &proposalId);
    int levelOf(const Runbook &runbook) const;
    QString resourceOf(const Incident &incident) const { return QStringLiteral("service/") + incident.service; }
    // One open incident per problem: its runbook (or alert name, without one) on one service.
    static QString problemKey(const Runbook *runbook, const Alert &alert);
    IncidentRecord *incidentWithSymptom(const Alert &alert);
    void absorbSymptoms(IncidentRecord &cause);
    // Adds an alert to an incident (or its newer summary): the alerts inside it are listed for people.
    void joinAlert(IncidentRecord &record, const Alert &alert);
    static constexpr qsizetype maxListedAlerts = 50;
    // A never-automate condition pages a human once its diagnosis is in, and no later than this.
    void pageGuard(const QString &incidentId);
    static constexpr Duration guardPageWithin { 30'000 };
    void closeProblem(const IncidentRecord &record);
    // sharedstore.cpp: another process on the store holds the problem; this engine waits.
    void standAside(const Alert &alert, const IncidentOpening &opening);
    void lookAgainLater(const QString &fingerprint);
    Engine::ApprovalResult claimRefused(
        IncidentRecord &record, const ExecutionClaim &claim, const QStringList &approvers);
    void saveIncident(const IncidentRecord &record);
    EngineEvent event(
        EngineEvent::Kind kind, const QString &incidentId, const QString &detail, QJsonObject data = {}) const;

    Engine *q;
    std::vector<std::unique_ptr<CheckpointingNotifier>> m_checkpointing; // what m_ports.notifiers points to
    Engine::Ports m_ports;
    Engine::Settings m_settings;
    QList<Runbook> m_runbooks;
    RunbookIndex m_index;
    QMap<QString, IncidentRecord> m_incidents;
    QHash<QString, QString> m_incidentByFingerprint;
    QHash<QString, QString> m_openIncidentByKey; // runbook|service -> incident
    QSet<QString> m_withSymptoms; // open incidents whose runbook lists symptoms
    QList<QString> m_finalOrder; // incidents in the order they became final: the oldest are forgotten first
    bool m_forgetScheduled = false;
    QHash<QString, std::pair<Guard, QString>> m_guardAlerts; // fingerprint -> (guard, service)
    QHash<QString, Alert> m_pendingFor; // alerts waiting out their runbook's `for:`
    QHash<QString, std::pair<Alert, QString>>
        m_heldElsewhere; // alerts of problems another process holds open -> (alert, incident)
    QHash<QString, QString> m_asideFor; // fingerprint -> the incident this engine said it stands aside for
    CircuitBreakers m_breakers;
    QHash<QString, Cooldown> m_cooldowns;
    QHash<QString, QString> m_busy; // resource -> incident executing on it
    QList<TimePoint> m_automatedRuns;
    QHash<QString, FeedHealth> m_feeds;
    QList<QJsonObject> m_recentActions; // for diagnostics bundles
    std::unique_ptr<TriggerEvaluator> m_triggers;
    bool m_started = false;
    // Async callbacks hold a weak reference to this: after the engine is gone they do nothing.
    std::shared_ptr<int> m_life = std::make_shared<int>(0);

    template <typename F> auto guarded(F f)
    {
        return [life = std::weak_ptr<int>(m_life), f = std::move(f)](auto &&...args) {
            if (life.lock())
                f(std::forward<decltype(args)>(args)...);
        };
    }
};

} // namespace antibody
