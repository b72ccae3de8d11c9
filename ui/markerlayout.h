#pragma once

#include <QList>
#include <QString>
#include <functional>

namespace antibody {

// Where a chart's step-marker labels go, so that none prints over another (passes a
// few seconds apart are a few pixels apart on a 15-minute chart). A label hangs to
// the right of its marker line, or to its left at the plot's right edge, in rows from
// the top of the plot. A run of one step's passes too close to label one by one
// becomes one label, "kill_idle ×3"; any other label that would touch one already
// placed drops to the next free row; when no row is free it is left out, its line
// still drawn, rather than drawn over another. Pixels in, pixels out: tested without
// rendering, as ChartRange is.
struct MarkerLayout
{
    struct Marker
    {
        double x = 0; // the marker's line, in pixels
        QString label; // "kill_idle #2", "verify_recovery ✓"
        QString passOf; // the step, when this marks one of its passes (passes merge)
    };

    struct Label
    {
        QString text;
        QList<int> markers; // the markers (indexes into the input) it stands for
        double left = 0; // pixels
        double width = 0;
        int row = 0; // 0: the top row
    };

    static constexpr double gap = 4; // pixels kept free between two labels in a row
    static constexpr double offset = 3; // from the marker's line to its label

    using WidthOf = std::function<double(const QString &)>;
    // Labels in the order of their markers' x. Nothing for a plot without width or rows.
    static QList<Label> place(
        const QList<Marker> &markers, double plotLeft, double plotRight, int rows, const WidthOf &widthOf);
};

} // namespace antibody
