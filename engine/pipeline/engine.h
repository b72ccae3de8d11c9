#pragma once

#include "engine/core/clock.h"
#include "engine/domain/engineevent.h"
#include "engine/domain/incident.h"
#include "engine/domain/proposal.h"
#include "engine/ports/actionexecutor.h"
#include "engine/ports/alertsource.h"
#include "engine/ports/metricsource.h"
#include "engine/ports/notifier.h"
#include "engine/ports/store.h"
#include "engine/runbook/runbook.h"

#include <QObject>
#include <functional>
#include <memory>
#include <optional>

namespace antibody {

struct EngineParts;

// The shared remediation engine: detect -> diagnose -> plan -> guardrails ->
// decide -> execute -> verify -> resolve or escalate. It knows its ports only,
// lives on one thread (the caller's, or the console's engine thread), and
// publishes everything it does as EngineEvents; it never calls into its observers.
class Engine : public QObject
{
    Q_OBJECT
public:
    struct Ports
    {
        Clock *clock = nullptr;
        Store *store = nullptr;
        MetricSource *metrics = nullptr;
        QList<AlertSource *> alertSources;
        QList<ActionExecutor *> executors; // one per action family
        QList<Notifier *> notifiers; // pages go to every notifier
    };

    // Where each default comes from: docs/design.md, "Guardrails and their numbers". The
    // configuration's `engine:` keys override some (docs/configuration.md).
    struct Settings
    {
        QString identity; // who this engine is in audit rows: "alice@laptop (pid 4711)"
        Duration evaluationInterval { 15'000 }; // how often metric triggers are evaluated
        Duration approvalTtl { 15 * 60'000 }; // an approval binds to a fingerprint for this long
        Duration freshnessBound { 120'000 }; // no action on data older than this
        Duration passSettle { 5'000 }; // the least wait between passes of a capped step
        int maxCycles = 10; // upper bound on passes of one capped step
        int rateLimit = 10; // automated executions ...
        Duration rateWindow { 10 * 60'000 }; // ... per window, engine-wide
        // Final incidents kept in memory for lookups, de-duplication and the console's
        // first snapshot; older ones are forgotten (the store keeps everything). 0: keep
        // all (`simulate`, whose report reads every incident of its bounded run).
        int keepFinalIncidents = 1000;
        std::optional<int> levelOverride; // `simulate --level N`
        bool autoApprove = false; // `--approve auto`: approve Level 2 proposals as they come
        // ... including approve-tier actions and never-automate containment: only where
        // nothing real can be harmed (the simulated fleet). Against real executors a
        // human approves those, whatever the command line says.
        bool autoApproveRisky = false;
        QString autoApprover = QStringLiteral("auto-approver");
        // Where new incident ids come from; empty: IncidentId::generate (128 random bits).
        // The simulator draws them from its seed, so that a seed repeats its timeline; an
        // id the store already holds is refused there and drawn again at random.
        std::function<QString()> incidentIds;
    };

    struct ApprovalResult
    {
        enum class Status {
            Executing, // the approval completed the quorum; execution started
            NeedsMore, // recorded; more distinct approvers are required
            Refused, // stale fingerprint, expired, blocked, unknown proposal, not distinct...
            AlreadyClaimed, // another approver or process executes it: `reason` says who and when
        };
        Status status = Status::Refused;
        QString reason;
    };

    Engine(Ports ports, Settings settings, QObject *parent = nullptr);
    ~Engine() override;

    // How many distinct people approve a plan whose strictest step is of `tier`, at least:
    // the team's policy (docs/team.md, "Policy"); a runbook's `approvals:` may ask more.
    // Proposals made before a change keep their count. None: the runbook's alone.
    void setApprovalsForTier(std::function<int(Tier)> approvals);

    // Runbooks: replacing one keeps incidents it already opened on the version they started with.
    void setRunbooks(const QList<Runbook> &runbooks);
    QList<Runbook> runbooks() const;

    // Recovers executions left in flight by a crash (marks them interrupted and
    // escalates them; never re-runs them), restores breakers and cooldowns, starts
    // the alert sources and the metric-trigger evaluation.
    void start();
    void stop();

    QList<Incident> incidents() const;
    std::optional<Incident> incident(const QString &id) const;
    std::optional<Proposal> proposal(const QString &id) const;
    QList<BreakerState> breakers() const;
    QList<FeedHealth> feeds() const;

    ApprovalResult approve(const QString &proposalId, const QString &fingerprint, const QString &approver);
    ApprovalResult deny(
        const QString &proposalId, const QString &fingerprint, const QString &approver, const QString &reason);
    // Break-glass: `approver` runs the plan now, below the approvals it needs, with a
    // reason; the incident is marked for review and every notifier hears it at once.
    ApprovalResult breakGlass(
        const QString &proposalId, const QString &fingerprint, const QString &approver, const QString &reason);
    // A person asks the engine to run a shown plan (a level 1 checklist) rather than run its
    // steps by hand, with a reason: the plan then waits for approval by someone else, and
    // every later plan of the incident too (docs/team.md, "Requesting a run").
    ApprovalResult request(
        const QString &proposalId, const QString &fingerprint, const QString &requester, const QString &reason);
    void resetBreaker(const QString &type, const QString &who);
    void cancel(const QString &incidentId, const QString &who);
    // While it lives, the decisions taken (approve, deny, cancel, reset a breaker) name the
    // API token they came through in their audit rows (`key_id`): the team server holds
    // one around each person's command.
    class Credential
    {
    public:
        Credential(Engine &engine, const QString &keyId);
        ~Credential();
        Credential(const Credential &) = delete;
        Credential &operator=(const Credential &) = delete;

    private:
        Engine &m_engine;
    };

    // An event of the engine's owner, not of the engine (the team server's policy refusals):
    // stamped with the engine's clock, appended to the audit trail and published like its own.
    void record(EngineEvent::Kind kind, const QString &incidentId, const QString &detail, const QJsonObject &data);

    // The proposal a runbook would make for an alert with these labels against the
    // world as it is now, with guardrails and mode, executing nothing.
    void dryRun(const Runbook &runbook, const Labels &alertLabels, std::function<void(const Proposal &)> done);

Q_SIGNALS:
    void event(const antibody::EngineEvent &event);
    void incidentChanged(const antibody::Incident &incident);
    void proposalChanged(const antibody::Proposal &proposal);
    void breakerChanged(const antibody::BreakerState &breaker);
    void feedChanged(const antibody::FeedHealth &feed);

private:
    std::unique_ptr<EngineParts> d;
};

} // namespace antibody
