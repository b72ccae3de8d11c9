#pragma once

#include <QWidget>

namespace antibody {

class RunbookTextEdit;

// The strip left of the runbook text: line numbers, and a mark on each line
// with an error (red) or a warning (amber). Painted by the editor, which knows
// which blocks are visible.
class LineNumberGutter : public QWidget
{
    Q_OBJECT
public:
    explicit LineNumberGutter(RunbookTextEdit *editor);

    QSize sizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    RunbookTextEdit *m_editor;
};

} // namespace antibody
