#pragma once

#include "models/present/eventlogexport.h"

#include <QWidget>
#include <functional>

class QComboBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QTableView;

namespace antibody {

class EventFilter;
class EventLogModel;

// The audit log: every engine event, searchable and narrowed by kind, and
// exported (what is on screen) as CSV or JSON Lines, written on a worker thread.
class AuditPanel : public QWidget
{
    Q_OBJECT
public:
    // Where to export; an empty answer cancels. Tests replace the file dialog.
    using AskPath = std::function<QString(QWidget *parent)>;

    explicit AuditPanel(EventLogModel *events, QWidget *parent = nullptr);
    void setAskPath(AskPath ask) { m_askPath = std::move(ask); }
    EventFilter *filter() const { return m_filter; }

    void exportShown();
    void focusSearch();

Q_SIGNALS:
    void exported(bool ok, const QString &message);

private:
    void finishExport(const EventLogExport::Result &result, const QString &path);

    EventLogModel *m_events;
    EventFilter *m_filter;
    QLineEdit *m_search;
    QComboBox *m_kinds;
    QTableView *m_table;
    QPushButton *m_export;
    QLabel *m_status;
    AskPath m_askPath;
};

} // namespace antibody
