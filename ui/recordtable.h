#pragma once

#include <QTableView>

namespace antibody {

// A read-only table of records (events, breakers, incidents): whole rows are
// selected, nothing is edited in place, columns fit their content and the last
// one takes the rest of the width. Every list in the console reads the same way.
class RecordTable : public QTableView
{
    Q_OBJECT
public:
    RecordTable(const QString &objectName, QAbstractItemModel *model, QWidget *parent = nullptr);
};

} // namespace antibody
