#pragma once

#include <QTabWidget>

class QTextBrowser;

namespace antibody {

class DrillPanel;
class DryRunPanel;
struct DrillReport;
struct DryRunReport;
struct Runbook;

// Beside the runbook's text: help for the action under the cursor, the dry run
// and the drill, one tab each; a result brings its tab forward.
class RehearsalPanel : public QTabWidget
{
    Q_OBJECT
public:
    explicit RehearsalPanel(QWidget *parent = nullptr);

    // Help for the step under `offset` in `text` (the parameter under the cursor marked).
    void showHelpAt(const QString &text, qsizetype offset);
    void dryRunStarted(const Runbook &runbook);
    void showDryRun(const DryRunReport &report);
    void drillStarted(const Runbook &runbook);
    void showDrill(const DrillReport &report);
    // A runbook was opened: earlier results are about another text.
    void clearResults();

private:
    QTextBrowser *m_help;
    DryRunPanel *m_dryRun;
    DrillPanel *m_drill;
};

} // namespace antibody
