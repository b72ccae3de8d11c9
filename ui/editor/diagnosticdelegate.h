#pragma once

#include <QStyledItemDelegate>

namespace antibody {

// A finding in the list beside the text: a red (error) or amber (warning) mark
// before "line:column  message", in the console's colours.
class DiagnosticDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using QStyledItemDelegate::QStyledItemDelegate;

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;
};

} // namespace antibody
