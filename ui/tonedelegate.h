#pragma once

#include "ui/consolepalette.h"

#include <QStyledItemDelegate>
#include <functional>

namespace antibody {

// Colours a column's text by what it means (a severity, a state, a verdict),
// read from the current palette at paint time so light and dark both read well.
// Models stay free of colours; the meaning-to-colour rule is the caller's.
class ToneDelegate : public QStyledItemDelegate
{
    Q_OBJECT
public:
    using Tone = std::function<QColor(const QModelIndex &index, const ConsolePalette &palette)>;

    ToneDelegate(Tone tone, bool bold, QObject *parent = nullptr);

protected:
    void initStyleOption(QStyleOptionViewItem *option, const QModelIndex &index) const override;

private:
    Tone m_tone;
    bool m_bold;
};

} // namespace antibody
