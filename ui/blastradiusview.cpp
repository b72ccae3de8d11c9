#include "ui/blastradiusview.h"

#include "ui/consolepalette.h"

#include <QHelpEvent>
#include <QPainter>
#include <QToolTip>

using namespace Qt::StringLiterals;

namespace antibody {

BlastRadiusView::BlastRadiusView(QWidget *parent)
    : QWidget(parent)
{
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Preferred);
    setMouseTracking(true);
}

void BlastRadiusView::setBlastRadius(const BlastRadius &radius)
{
    m_radius = radius;
    setAccessibleName(radius.summary());
    relayout();
    updateGeometry();
    update();
}

int BlastRadiusView::heightForWidth(int width) const
{
    return BlastRadiusGrid::layout(m_radius, width).size().height();
}

QSize BlastRadiusView::sizeHint() const
{
    const int width = 360;
    return { width, heightForWidth(width) };
}

QSize BlastRadiusView::minimumSizeHint() const
{
    return { BlastRadiusGrid::largestCell * 4, heightForWidth(BlastRadiusGrid::largestCell * 4) };
}

void BlastRadiusView::resizeEvent(QResizeEvent *event)
{
    relayout();
    QWidget::resizeEvent(event);
}

void BlastRadiusView::relayout()
{
    m_grid = BlastRadiusGrid::layout(m_radius, width());
}

void BlastRadiusView::paintEvent(QPaintEvent *)
{
    const ConsolePalette colours = ConsolePalette::from(palette());
    QPainter painter(this);
    painter.setRenderHint(QPainter::Antialiasing);
    for (const BlastRadiusGrid::Item &item : std::as_const(m_grid.items)) {
        const QRectF r = QRectF(item.rect).adjusted(0.5, 0.5, -0.5, -0.5);
        switch (item.cell) {
        case BlastRadiusGrid::Cell::Chosen:
            painter.setPen(QPen(colours.chosen.darker(130), 1));
            painter.setBrush(colours.chosen);
            break;
        case BlastRadiusGrid::Cell::Later:
            painter.setPen(QPen(colours.chosen, 1, Qt::DashLine));
            painter.setBrush(QBrush(colours.later, Qt::BDiagPattern));
            break;
        case BlastRadiusGrid::Cell::Untouched:
            painter.setPen(QPen(colours.untouched.darker(130), 1));
            painter.setBrush(colours.untouched);
            break;
        }
        painter.drawRoundedRect(r, 3, 3);
    }
}

bool BlastRadiusView::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        auto *help = static_cast<QHelpEvent *>(event);
        if (const auto *item = m_grid.itemAt(help->pos())) {
            const QString what = item->cell == BlastRadiusGrid::Cell::Chosen ? tr("touched this cycle")
                : item->cell == BlastRadiusGrid::Cell::Later                 ? tr("touched in a later cycle")
                                                                             : tr("keeps serving");
            QToolTip::showText(help->globalPos(), u"%1 — %2"_s.arg(item->target, what), this);
        } else {
            QToolTip::hideText();
        }
        return true;
    }
    return QWidget::event(event);
}

} // namespace antibody
