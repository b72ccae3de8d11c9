#include "ui/blastradiusgrid.h"

#include <algorithm>

namespace antibody {

QSize BlastRadiusGrid::size() const
{
    if (items.isEmpty())
        return { 0, 0 };
    return { columns * (cellSize + gap) - gap, rows * (cellSize + gap) - gap };
}

int BlastRadiusGrid::count(Cell cell) const
{
    return static_cast<int>(
        std::count_if(items.cbegin(), items.cend(), [cell](const Item &i) { return i.cell == cell; }));
}

const BlastRadiusGrid::Item *BlastRadiusGrid::itemAt(QPoint point) const
{
    for (const Item &i : items) {
        if (i.rect.contains(point))
            return &i;
    }
    return nullptr;
}

BlastRadiusGrid::Cell BlastRadiusGrid::cellOf(const BlastRadius &radius, const QString &target)
{
    if (radius.chosen.contains(target))
        return Cell::Chosen;
    if (radius.candidates.contains(target))
        return Cell::Later;
    return Cell::Untouched;
}

BlastRadiusGrid BlastRadiusGrid::layout(const BlastRadius &radius, int width, int maxHeight)
{
    BlastRadiusGrid grid;
    const int n = radius.fleetSize();
    if (n == 0)
        return grid;
    width = std::max(width, largestCell);
    for (int size = largestCell; size >= smallestCell; --size) {
        grid.cellSize = size;
        grid.columns = std::clamp((width + gap) / (size + gap), 1, n);
        grid.rows = (n + grid.columns - 1) / grid.columns;
        if (grid.rows * (size + gap) - gap <= maxHeight)
            break;
    }
    grid.items.reserve(n);
    for (int i = 0; i < n; ++i) {
        const QString &target = radius.fleet.at(i);
        const int row = i / grid.columns;
        const int column = i % grid.columns;
        grid.items.append({ target, cellOf(radius, target),
            QRect(column * (grid.cellSize + gap), row * (grid.cellSize + gap), grid.cellSize, grid.cellSize) });
    }
    return grid;
}

} // namespace antibody
