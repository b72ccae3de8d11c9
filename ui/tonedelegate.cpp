#include "ui/tonedelegate.h"

namespace antibody {

ToneDelegate::ToneDelegate(Tone tone, bool bold, QObject *parent)
    : QStyledItemDelegate(parent)
    , m_tone(std::move(tone))
    , m_bold(bold)
{
}

void ToneDelegate::initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const
{
    QStyledItemDelegate::initStyleOption(option, index);
    const QColor colour = m_tone(index, ConsolePalette::from(option->palette));
    if (!colour.isValid())
        return;
    // Selected rows keep the highlight's own text colour: contrast beats meaning there.
    if (!(option->state & QStyle::State_Selected))
        option->palette.setColor(QPalette::Text, colour);
    if (m_bold)
        option->font.setBold(true);
}

} // namespace antibody
