#pragma once

#include <QStyledItemDelegate>

namespace antibody {

// Draws a level's median MTTR as a bar against its baseline: green when at or
// under the seed's target for that level, red past it, with a tick where the
// baseline's typical value lies. Scales every row to one axis so levels compare.
class MttrBarDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

    void paint(QPainter *painter, const QStyleOptionViewItem &option, const QModelIndex &index) const override;
    QSize sizeHint(const QStyleOptionViewItem &option, const QModelIndex &index) const override;

    // The axis every row shares: the larger of the slowest median and the
    // level 0 baseline (45 min), so that "2 min" looks as small as it is.
    static double scaleMs(const QAbstractItemModel *model);
};

} // namespace antibody
