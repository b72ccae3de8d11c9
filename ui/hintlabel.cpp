#include "ui/hintlabel.h"

namespace antibody {

HintLabel::HintLabel(const QString &text, QWidget *parent)
    : QLabel(text, parent)
{
    setWordWrap(true);
    setForegroundRole(QPalette::PlaceholderText);
}

} // namespace antibody
