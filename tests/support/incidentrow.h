#pragma once

// A person's click on an incident's row in the console's list: found by its id in the
// table the window shows (sorted and filtered as the person sees it), scrolled to,
// clicked with the mouse.
#include "models/incidentmodel.h"
#include "tests/support/widgetlookup.h"
#include "ui/incidentview.h"
#include "ui/mainwindow.h"

#include <QTableView>
#include <QTest>

namespace antibody::test {

// False when the list does not show the incident (yet), or the click did not open it.
inline bool clickIncidentRow(MainWindow &window, const QString &incidentId)
{
    auto *table = child<QTableView>(&window, QStringLiteral("incidentTable"));
    const QAbstractItemModel *shown = table->model();
    for (int row = 0; row < shown->rowCount(); ++row) {
        const QModelIndex index = shown->index(row, IncidentModel::TitleColumn);
        if (index.data(IncidentModel::IncidentIdRole).toString() != incidentId)
            continue;
        table->scrollTo(index);
        QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
        return window.incidentView()->incidentId() == incidentId;
    }
    return false;
}

} // namespace antibody::test
