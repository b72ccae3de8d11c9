#pragma once

#include "engine/domain/incident.h"
#include "engine/domain/proposal.h"
#include "engine/runbook/runbook.h"
#include "models/present/executionprogress.h"

#include <QWidget>
#include <optional>

class QLabel;
class QScrollArea;

namespace antibody {

class ApprovalBar;
class EngineCommands;
class GuardrailChecklist;
class PlanStepsView;

// What the engine wants to do about one incident, laid out for the decision:
// the runbook, its trigger and confidence, the diagnosis, the plan's steps with
// their blast-radius previews, the guardrails, and Approve / Deny at the bottom.
class ProposalCard : public QWidget
{
    Q_OBJECT
public:
    explicit ProposalCard(EngineCommands *commands, QWidget *parent = nullptr);

    // The incident the proposal is about (trigger, diagnosis facts), and its runbook if known.
    void setIncident(const Incident &incident, const Runbook *runbook);
    void showProposal(const Proposal &proposal);
    // An update from the engine for this incident (a state change, or a new plan).
    void offer(const Proposal &proposal);
    void clear();
    void setProgress(const ExecutionProgress &progress);
    // The console's now: how long ago each approval was ("3m 12s ago").
    void setNow(TimePoint now);
    // Who else has this incident open on the team server now (never this console's person).
    void setViewers(const QStringList &viewers);

    ApprovalBar *approvalBar() const { return m_bar; }
    static QString modeHeadline(const Proposal &proposal);

private:
    void renderContext(); // trigger, diagnosis: cheap, on every incident update
    void render(); // the whole card: when the proposal on screen changes
    void renderPeople(); // who approved, who else looks: cheap, on every change and clock tick

    std::optional<Incident> m_incident;
    std::optional<Runbook> m_runbook;
    std::optional<ExecutionProgress> m_progress;
    TimePoint m_now;
    QStringList m_viewers;
    QString m_renderedKey; // proposal id, fingerprint and state last rendered
    QScrollArea *m_scroll;
    QLabel *m_title;
    QLabel *m_mode;
    QLabel *m_approvals;
    QLabel *m_viewersLabel;
    QLabel *m_trigger;
    QLabel *m_reasons;
    QLabel *m_diagnosis;
    QLabel *m_fingerprint;
    QLabel *m_progressLabel;
    PlanStepsView *m_steps;
    GuardrailChecklist *m_guardrails;
    ApprovalBar *m_bar;
};

} // namespace antibody
