#pragma once

#include "engine/domain/plan.h"

#include <QList>
#include <QRect>
#include <QSize>
#include <QString>

namespace antibody {

// Where each target's cell goes in the blast-radius preview: one cell per fleet
// member, in the fleet's stable order, wrapped to the width available. Cells
// shrink (down to a floor) before the grid grows past its height budget, so a
// 5-pod fleet reads at a glance and a 300-connection pool still fits.
struct BlastRadiusGrid
{
    enum class Cell {
        Untouched, // keeps serving this cycle
        Chosen, // touched this cycle
        Later, // selected, but left for a later cycle by the cap
    };
    struct Item
    {
        QString target;
        Cell cell = Cell::Untouched;
        QRect rect;
    };

    static constexpr int largestCell = 22;
    static constexpr int smallestCell = 7;
    static constexpr int gap = 3;

    QList<Item> items;
    int columns = 0;
    int rows = 0;
    int cellSize = largestCell;

    QSize size() const;
    int count(Cell cell) const;
    // The item under a point (for tooltips), or nullptr.
    const Item *itemAt(QPoint point) const;

    static Cell cellOf(const BlastRadius &radius, const QString &target);
    static BlastRadiusGrid layout(const BlastRadius &radius, int width, int maxHeight = 120);
};

} // namespace antibody
