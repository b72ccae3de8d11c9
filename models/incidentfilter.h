#pragma once

#include "models/present/searchwords.h"

#include <QSortFilterProxyModel>

namespace antibody {

// The incident list as the engineer sees it: searched, scoped to unresolved or
// resolved ones, and sorted by the clicked column with ties broken by what needs
// a human first, then severity, then the newest.
class IncidentFilter : public QSortFilterProxyModel
{
    Q_OBJECT
public:
    explicit IncidentFilter(QObject *parent = nullptr);

    // Every whitespace-separated word must appear somewhere in the incident
    // (id, alert, service, runbook, severity, state, labels); case does not matter.
    void setSearchText(const QString &text);
    QString searchText() const { return m_words.text(); }
    // Which incidents the list holds: all, those still needing attention, or the resolved ones.
    enum class Scope { All, Unresolved, Resolved };
    void setScope(Scope scope);
    Scope scope() const { return m_scope; }

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    SearchWords m_words;
    Scope m_scope = Scope::All;
};

} // namespace antibody
