#pragma once

#include <QWidget>

class QComboBox;
class QLineEdit;
class QTableView;

namespace antibody {

class IncidentFilter;
class IncidentModel;

// The incident list: searchable, scoped, sorted with what waits for a human on
// top, and driven from the keyboard (Ctrl+F to search, arrows to move, Enter to
// open, Esc back to the list).
class IncidentList : public QWidget
{
    Q_OBJECT
public:
    explicit IncidentList(IncidentModel *incidents, QWidget *parent = nullptr);

    QString currentIncident() const;
    // Selects the incident (clearing a search that hides it).
    void selectIncident(const QString &id);
    void focusSearch();
    IncidentFilter *filter() const { return m_filter; }
    QTableView *table() const { return m_table; }

Q_SIGNALS:
    void currentIncidentChanged(const QString &id);
    // Enter or double-click: the engineer wants to act on it.
    void incidentActivated(const QString &id);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void selectFirstIfNone();

    IncidentModel *m_incidents;
    IncidentFilter *m_filter;
    QLineEdit *m_search;
    QComboBox *m_scope;
    QTableView *m_table;
    QString m_current;
};

} // namespace antibody
