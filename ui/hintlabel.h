#pragma once

#include <QLabel>

namespace antibody {

// Secondary text: explanations under a heading, a step's why, a legend.
// Wrapped, and in the palette's muted colour so the eye reads the data first.
class HintLabel : public QLabel
{
    Q_OBJECT
public:
    explicit HintLabel(const QString &text, QWidget *parent = nullptr);
};

} // namespace antibody
