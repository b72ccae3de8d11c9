#include "ui/mttrbardelegate.h"

#include "models/mttrmodel.h"
#include "ui/consolepalette.h"

#include <QPainter>

namespace antibody {

double MttrBarDelegate::scaleMs(const QAbstractItemModel *model)
{
    double scale = double(MttrStats::baseline(0).target.count());
    for (int row = 0; row < model->rowCount(); ++row) {
        const QVariant median = model->index(row, 0).data(MttrModel::MedianRole);
        if (median.isValid())
            scale = std::max(scale, median.toDouble());
    }
    return scale;
}

void MttrBarDelegate::paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QStyledItemDelegate::paint(painter, option, QModelIndex()); // background and selection only
    const ConsolePalette colours = ConsolePalette::from(option.palette);
    const QRectF area = QRectF(option.rect).adjusted(4, 5, -4, -5);
    const double scale = scaleMs(index.model());
    auto x = [&](double ms) { return area.left() + area.width() * std::clamp(ms / scale, 0.0, 1.0); };

    painter->save();
    painter->setRenderHint(QPainter::Antialiasing);
    // The baseline's range: from the typical value to the target.
    const double typical = index.data(MttrModel::TypicalRole).toDouble();
    const double target = index.data(MttrModel::TargetRole).toDouble();
    painter->fillRect(QRectF(QPointF(area.left(), area.top()), QPointF(x(target), area.bottom())), colours.untouched);
    const QVariant median = index.data(MttrModel::MedianRole);
    if (median.isValid()) {
        const bool onPar = index.data(MttrModel::OnParRole).toBool();
        const QRectF bar(QPointF(area.left(), area.top() + 3),
            QPointF(std::max(x(median.toDouble()), area.left() + 2), area.bottom() - 3));
        painter->fillRect(bar, onPar ? colours.ok : colours.blocked);
    }
    painter->setPen(QPen(option.palette.color(QPalette::Text), 2));
    painter->drawLine(QPointF(x(typical), area.top()), QPointF(x(typical), area.bottom()));
    painter->restore();
}

QSize MttrBarDelegate::sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const
{
    QSize size = QStyledItemDelegate::sizeHint(option, index);
    size.setWidth(std::max(size.width(), 220));
    return size;
}

} // namespace antibody
