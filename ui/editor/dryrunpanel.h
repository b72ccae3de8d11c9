#pragma once

#include "engine/rehearsal/dryrunreport.h"

#include <QWidget>

class QLabel;

namespace antibody {

class GuardrailChecklist;
class PlanStepsView;

// What the runbook in the editor would do now: the mode it would run in and
// why, the alert it was planned for, each step with the same blast-radius
// preview the proposal card shows, the steps the diagnosis ruled out, and the
// guardrail checks. Executes nothing; says so at the top.
class DryRunPanel : public QWidget
{
    Q_OBJECT
public:
    explicit DryRunPanel(QWidget *parent = nullptr);

    void showRunning(const QString &runbook);
    void showReport(const DryRunReport &report);
    void clear();

    // "Would run automatically within guardrails" ...: the dry-run form of the proposal's mode.
    static QString headline(const Proposal &proposal);

private:
    QLabel *m_status;
    QLabel *m_mode;
    QLabel *m_subject;
    QLabel *m_skipped;
    QLabel *m_footer;
    PlanStepsView *m_steps;
    GuardrailChecklist *m_guardrails;
    QWidget *m_body;
};

} // namespace antibody
