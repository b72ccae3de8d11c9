#pragma once

#include <QMainWindow>

namespace antibody {

class EventLogModel;

class MainWindow : public QMainWindow
{
    Q_OBJECT
public:
    explicit MainWindow(EventLogModel *events, QWidget *parent = nullptr);
};

} // namespace antibody
