#include "ui/markerlayout.h"

#include <algorithm>
#include <cmath>
#include <numeric>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// A label's text before placement: one marker's, or a run of passes merged.
struct Run
{
    QList<int> markers;
    double x = 0;
    QString text;
};

} // namespace

QList<MarkerLayout::Label> MarkerLayout::place(
    const QList<Marker> &markers, double plotLeft, double plotRight, int rows, const WidthOf &widthOf)
{
    if (!(plotRight > plotLeft) || rows <= 0)
        return {};
    // Half a pixel of slack: a marker at the plot's edge maps to it give or take rounding.
    const auto onPlot = [&](double x) { return std::isfinite(x) && x >= plotLeft - 0.5 && x <= plotRight + 0.5; };
    QList<int> order;
    for (int i = 0; i < markers.size(); ++i) {
        if (onPlot(markers.at(i).x))
            order << i;
    }
    std::stable_sort(order.begin(), order.end(), [&](int a, int b) { return markers.at(a).x < markers.at(b).x; });

    // A pass joins the run before it when it is the same step's and their labels would touch.
    QList<Run> runs;
    for (int i : std::as_const(order)) {
        const Marker &m = markers.at(i);
        if (!runs.isEmpty() && !m.passOf.isEmpty()) {
            Run &last = runs.back();
            const Marker &previous = markers.at(last.markers.back());
            if (previous.passOf == m.passOf && m.x - previous.x < widthOf(previous.label) + gap) {
                last.markers << i;
                last.text = u"%1 ×%2"_s.arg(m.passOf).arg(last.markers.size());
                continue;
            }
        }
        runs << Run { { i }, m.x, m.label };
    }

    // Each label in the first row where it touches nothing; right edges per row so far.
    QList<double> rowEnds(rows, -std::numeric_limits<double>::infinity());
    QList<Label> labels;
    for (const Run &run : std::as_const(runs)) {
        const double width = widthOf(run.text);
        double left = run.x + offset;
        if (left + width > plotRight) // at the right edge the label hangs to the left of its line
            left = plotRight - width;
        left = std::max(left, plotLeft);
        const auto row = std::find_if(rowEnds.begin(), rowEnds.end(), [&](double end) { return end + gap <= left; });
        if (row == rowEnds.end())
            continue; // no row is free: the line stays, the label would cover another
        *row = left + width;
        labels << Label { run.text, run.markers, left, width, int(row - rowEnds.begin()) };
    }
    return labels;
}

} // namespace antibody
