#pragma once

#include "engine/domain/plan.h"
#include "ui/blastradiusgrid.h"

#include <QWidget>

namespace antibody {

// The blast-radius preview of one mutating step: one cell per member of the
// fleet, the ones this cycle touches filled, the ones left for later cycles
// shaded, the rest (still serving) plain. Hover a cell for the target's name.
class BlastRadiusView : public QWidget
{
    Q_OBJECT
public:
    explicit BlastRadiusView(QWidget *parent = nullptr);

    void setBlastRadius(const BlastRadius &radius);
    const BlastRadius &blastRadius() const { return m_radius; }
    // The layout as painted at the current width.
    const BlastRadiusGrid &grid() const { return m_grid; }

    bool hasHeightForWidth() const override { return true; }
    int heightForWidth(int width) const override;
    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    bool event(QEvent *event) override;

private:
    void relayout();

    BlastRadius m_radius;
    BlastRadiusGrid m_grid;
};

} // namespace antibody
