#pragma once

#include "engine/ports/alert.h"

#include <QAbstractListModel>
#include <QList>

namespace antibody {

// The monitoring feeds the engine reads (alerts, metrics) and how each is doing.
// A degraded feed matters at 3 a.m.: the engine will not act on stale data, and
// the engineer must know why nothing is happening.
class FeedHealthModel : public QAbstractListModel
{
    Q_OBJECT
public:
    enum Roles { FeedRole = Qt::UserRole, StateRole, ReasonRole, LastSuccessRole };

    explicit FeedHealthModel(QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

    void upsert(const antibody::FeedHealth &feed);
    FeedHealth::State worstState() const;
    // One line for the status bar: "feeds healthy", or the worst feed and why.
    QString summary() const;
    const QList<FeedHealth> &feeds() const { return m_feeds; }

Q_SIGNALS:
    void healthChanged();

private:
    QString line(const FeedHealth &feed) const;

    QList<FeedHealth> m_feeds;
};

} // namespace antibody
