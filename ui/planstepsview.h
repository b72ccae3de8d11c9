#pragma once

#include "engine/domain/plan.h"
#include "models/present/executionprogress.h"

#include <QHash>
#include <QWidget>

class QLabel;
class QVBoxLayout;

namespace antibody {

class BlastRadiusView;

// The plan's steps in order, each with what it does and why, its condition, and
// for every step that changes something the blast-radius preview. After approval
// each step shows its progress (running pass 2, succeeded, skipped...).
class PlanStepsView : public QWidget
{
    Q_OBJECT
public:
    explicit PlanStepsView(QWidget *parent = nullptr);

    void setPlan(const Plan &plan);
    void setProgress(const ExecutionProgress &progress);

    BlastRadiusView *blastRadiusView(const QString &step) const { return m_blastViews.value(step); }
    static QString statusMark(const StepProgress &step);

private:
    QWidget *makeStep(int number, const PlannedStep &step);

    QVBoxLayout *m_layout;
    QHash<QString, QLabel *> m_statusLabels;
    QHash<QString, BlastRadiusView *> m_blastViews;
};

} // namespace antibody
