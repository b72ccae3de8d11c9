#include "ui/mainwindow.h"

#include "models/eventlogmodel.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {

MainWindow::MainWindow(EventLogModel *events, QWidget *parent)
    : QMainWindow(parent)
{
    setWindowTitle(tr("Antibody"));
    auto *central = new QWidget(this);
    auto *layout = new QVBoxLayout(central);
    auto *banner = new QLabel(tr("<b>Antibody</b> — incident-response console.<br>"
                                 "The console's views are being built; engine events appear below as they happen."),
        central);
    banner->setObjectName(u"banner"_s);
    banner->setWordWrap(true);
    layout->addWidget(banner);
    auto *table = new QTableView(central);
    table->setObjectName(u"eventTable"_s);
    table->setModel(events);
    table->horizontalHeader()->setStretchLastSection(true);
    table->verticalHeader()->hide();
    layout->addWidget(table);
    setCentralWidget(central);
    resize(1100, 700);
}

} // namespace antibody
