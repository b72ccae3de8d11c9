#include "ui/panellabels.h"

#include <QLabel>

using namespace Qt::StringLiterals;

namespace antibody {

QLabel *selectableLabel(QWidget *parent, const QString &objectName)
{
    auto *label = new QLabel(parent);
    label->setObjectName(objectName);
    label->setWordWrap(true);
    label->setTextInteractionFlags(Qt::TextSelectableByMouse);
    return label;
}

QLabel *sectionTitle(const QString &text, QWidget *parent)
{
    auto *label = new QLabel(u"<b>%1</b>"_s.arg(text.toHtmlEscaped()), parent);
    label->setContentsMargins(0, 8, 0, 2);
    return label;
}

} // namespace antibody
