#include "models/mttrmodel.h"

#include "models/incidentmodel.h"
#include "models/present/humantime.h"

#include <QSet>

using namespace Qt::StringLiterals;

namespace antibody {

MttrModel::MttrModel(IncidentModel *incidents, QObject *parent)
    : QAbstractTableModel(parent)
    , m_incidents(incidents)
{
    for (int row = 0; row < incidents->rowCount(); ++row)
        m_stats.record(incidents->incidentAt(row));
    connect(incidents, &IncidentModel::incidentsUpdated, this, &MttrModel::onIncidentsUpdated);
}

int MttrModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : MttrStats::levels;
}

int MttrModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString MttrModel::verdict(const MttrStats::Level &level) const
{
    if (!level.median)
        return level.unresolved > 0 ? tr("none resolved yet") : QString();
    const MttrBaseline &base = MttrStats::baseline(level.level);
    if (*level.median <= base.target)
        return tr("on par with the baseline");
    return tr("%1 slower than the baseline").arg(formatAge(*level.median - base.target));
}

QVariant MttrModel::data(const QModelIndex &index, int role) const
{
    if (!hasIndex(index.row(), index.column(), index.parent()))
        return {};
    const MttrStats::Level level = m_stats.level(index.row());
    const MttrBaseline &base = MttrStats::baseline(index.row());
    auto age = [](const std::optional<Duration> &d) { return d ? formatAge(*d) : u"—"_s; };
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case LevelColumn:
            return IncidentModel::levelText(index.row());
        case ResolvedColumn:
            return level.resolved;
        case OpenColumn:
            return level.escalated > 0 ? tr("%1 (%2 escalated)").arg(level.unresolved).arg(level.escalated)
                                       : QString::number(level.unresolved);
        case MedianColumn:
            return age(level.median);
        case MeanColumn:
            return age(level.mean);
        case SlowestColumn:
            return age(level.slowest);
        case BaselineColumn:
            return base.text;
        case VerdictColumn:
            return verdict(level);
        default:
            return {};
        }
    case LevelRole:
        return index.row();
    case MedianRole:
        return level.median ? QVariant::fromValue<qint64>(level.median->count()) : QVariant();
    case TypicalRole:
        return QVariant::fromValue<qint64>(base.typical.count());
    case TargetRole:
        return QVariant::fromValue<qint64>(base.target.count());
    case OnParRole:
        return level.median ? QVariant(*level.median <= base.target) : QVariant();
    default:
        return {};
    }
}

QVariant MttrModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case LevelColumn:
        return tr("Level");
    case ResolvedColumn:
        return tr("Resolved");
    case OpenColumn:
        return tr("Unresolved");
    case MedianColumn:
        return tr("Median MTTR");
    case MeanColumn:
        return tr("Mean");
    case SlowestColumn:
        return tr("Slowest");
    case BaselineColumn:
        return tr("Seed baseline");
    case ChartColumn:
        return tr("Median against the baseline");
    case VerdictColumn:
        return tr("Against the baseline");
    default:
        return {};
    }
}

QString MttrModel::summary() const
{
    const auto median = m_stats.overallMedian();
    const auto manualMinutes = std::chrono::duration_cast<std::chrono::minutes>(MttrStats::manualBaseline()).count();
    if (!median)
        return tr("No incident resolved yet · a manual fix takes about %1 min").arg(manualMinutes);
    const int resolved = m_stats.resolvedCount();
    // One argument list for both texts: the singular names no count.
    const QString over = resolved == 1 ? tr("1 resolved incident") : tr("%1 resolved incidents").arg(resolved);
    return tr("Median MTTR %1 over %2 · a manual fix takes about %3 min")
        .arg(formatAge(*median), over)
        .arg(manualMinutes);
}

void MttrModel::onIncidentsUpdated(const QStringList &ids)
{
    QSet<int> levels;
    for (const QString &id : ids) {
        if (const Incident *incident = m_incidents->incident(id)) {
            if (const auto before = m_stats.record(*incident))
                levels.insert(*before);
            levels.insert(std::clamp(incident->level, 0, MttrStats::levels - 1));
        }
    }
    for (int level : std::as_const(levels))
        Q_EMIT dataChanged(index(level, 0), index(level, ColumnCount - 1));
    if (!levels.isEmpty())
        Q_EMIT summaryChanged();
}

} // namespace antibody
