#include "models/feedhealthmodel.h"

#include "models/present/humantime.h"

using namespace Qt::StringLiterals;

namespace antibody {

FeedHealthModel::FeedHealthModel(QObject *parent)
    : QAbstractListModel(parent)
{
}

int FeedHealthModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_feeds.size());
}

QString FeedHealthModel::line(const FeedHealth &feed) const
{
    if (feed.state == FeedHealth::State::Healthy)
        return tr("%1: healthy").arg(feed.feed);
    QString text = tr("%1: %2").arg(feed.feed, feedStateText(feed.state));
    if (!feed.reason.isEmpty())
        text += u" — "_s + feed.reason;
    if (feed.lastSuccess.time_since_epoch().count() > 0)
        text += tr(" (last good data %1 UTC)").arg(formatClockTime(feed.lastSuccess));
    return text;
}

QVariant FeedHealthModel::data(const QModelIndex &index, int role) const
{
    if (!hasIndex(index.row(), index.column(), index.parent()))
        return {};
    const FeedHealth &feed = m_feeds.at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        return line(feed);
    case FeedRole:
        return feed.feed;
    case StateRole:
        return static_cast<int>(feed.state);
    case ReasonRole:
        return feed.reason;
    case LastSuccessRole:
        return toMillis(feed.lastSuccess);
    default:
        return {};
    }
}

void FeedHealthModel::upsert(const FeedHealth &feed)
{
    for (int row = 0; row < m_feeds.size(); ++row) {
        if (m_feeds.at(row).feed == feed.feed) {
            m_feeds[row] = feed;
            Q_EMIT dataChanged(index(row), index(row));
            Q_EMIT healthChanged();
            return;
        }
    }
    const int row = rowCount();
    beginInsertRows({}, row, row);
    m_feeds << feed;
    endInsertRows();
    Q_EMIT healthChanged();
}

FeedHealth::State FeedHealthModel::worstState() const
{
    auto worst = FeedHealth::State::Healthy;
    for (const FeedHealth &feed : m_feeds)
        worst = std::max(worst, feed.state);
    return worst;
}

QString FeedHealthModel::summary() const
{
    if (m_feeds.isEmpty())
        return tr("no monitoring feed reported yet");
    const auto worst = worstState();
    if (worst == FeedHealth::State::Healthy)
        return m_feeds.size() == 1 ? tr("feed healthy") : tr("%1 feeds healthy").arg(m_feeds.size());
    QStringList bad;
    for (const FeedHealth &feed : m_feeds) {
        if (feed.state == worst)
            bad << line(feed);
    }
    return bad.join(u"; "_s);
}

} // namespace antibody
