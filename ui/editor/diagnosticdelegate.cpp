#include "ui/editor/diagnosticdelegate.h"

#include "engine/runbook/diagnostic.h"
#include "models/editor/diagnosticmodel.h"
#include "ui/consolepalette.h"

#include <QPainter>
#include <QPixmap>

namespace antibody {

void DiagnosticDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const ConsolePalette colours = ConsolePalette::from(option->palette);
    const bool error
        = index.data(DiagnosticModel::SeverityRole).toInt() == static_cast<int>(Diagnostic::Severity::Error);
    const int size = option->fontMetrics.height() / 2 + 2;
    QPixmap mark(size, size);
    mark.fill(Qt::transparent);
    QPainter painter(&mark);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(error ? colours.blocked : colours.waiting);
    painter.drawEllipse(0, 0, size, size);
    painter.end();
    option->icon = QIcon(mark);
    option->decorationSize = QSize(size, size);
    option->features |= QStyleOptionViewItem::HasDecoration;
}

} // namespace antibody
