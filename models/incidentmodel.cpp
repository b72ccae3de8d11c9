#include "models/incidentmodel.h"

#include "engine/core/severity.h"
#include "models/present/humantime.h"

using namespace Qt::StringLiterals;

namespace antibody {

IncidentModel::IncidentModel(QObject *parent)
    : QAbstractTableModel(parent)
    , m_coalescer([this] { flush(); }, this)
{
}

int IncidentModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_rows.size());
}

int IncidentModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

int IncidentModel::attentionRank(IncidentState state)
{
    switch (state) {
    case IncidentState::AwaitingApproval:
        return 0;
    case IncidentState::Escalated:
        return 1;
    case IncidentState::Interrupted:
        return 2;
    case IncidentState::Executing:
        return 3;
    case IncidentState::Verifying:
        return 4;
    case IncidentState::Diagnosing:
        return 5;
    case IncidentState::Open:
        return 6;
    case IncidentState::Proposed:
        return 7;
    case IncidentState::Resolved:
        return 8;
    }
    return 9;
}

QString IncidentModel::levelText(int level)
{
    switch (level) {
    case 0:
        return tr("0 · alert only");
    case 1:
        return tr("1 · runbook");
    case 2:
        return tr("2 · approve");
    case 3:
        return tr("3 · automated");
    case 4:
        return tr("4 · adaptive");
    default:
        return QString::number(level);
    }
}

IncidentModel::Row IncidentModel::makeRow(const Incident &incident)
{
    QStringList words { incident.id, incident.title, incident.service, incident.runbook, incident.severity,
        incidentStateText(incident.state) };
    for (auto it = incident.labels.cbegin(); it != incident.labels.cend(); ++it)
        words << it.key() + u'=' + it.value();
    return { incident, words.join(u' ').toLower() };
}

QVariant IncidentModel::display(const Incident &incident, int column) const
{
    switch (column) {
    case SeverityColumn:
        return incident.severity.isEmpty() ? tr("unknown") : incident.severity;
    case ServiceColumn:
        return incident.service;
    case TitleColumn:
        return incident.title;
    case RunbookColumn:
        return incident.runbook.isEmpty() ? tr("no runbook") : incident.runbook;
    case StateColumn:
        return incidentStateText(incident.state);
    case LevelColumn:
        return levelText(incident.level);
    case AgeColumn:
        return formatAge(m_now - incident.detectedAt);
    case ResolvedInColumn:
        return incident.resolvedAt ? formatAge(*incident.resolvedAt - incident.detectedAt) : QString();
    default:
        return {};
    }
}

int IncidentModel::attention(const Incident &incident) const
{
    // Doubled, so that "waits, but not for you" fits between waiting and escalated.
    return 2 * attentionRank(incident.state) + (m_notYours.contains(incident.id) ? 1 : 0);
}

void IncidentModel::setNotYours(const QString &incidentId, const QString &reason)
{
    if (m_notYours.value(incidentId) == reason)
        return;
    if (reason.isEmpty())
        m_notYours.remove(incidentId);
    else
        m_notYours.insert(incidentId, reason);
    if (const int row = rowOf(incidentId); row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

QVariant IncidentModel::sortKey(const Incident &incident, int column) const
{
    switch (column) {
    case SeverityColumn:
        return static_cast<int>(severityRank(incident.severity));
    case StateColumn:
        return attention(incident);
    case LevelColumn:
        return incident.level;
    case AgeColumn:
        // Ascending age is the newest first: age grows as detection moves back in time.
        return -toMillis(incident.detectedAt);
    case ResolvedInColumn:
        return incident.resolvedAt ? (*incident.resolvedAt - incident.detectedAt).count()
                                   : std::numeric_limits<qint64>::max();
    default:
        return display(incident, column).toString().toLower();
    }
}

QVariant IncidentModel::data(const QModelIndex &index, int role) const
{
    if (!hasIndex(index.row(), index.column(), index.parent()))
        return {};
    const Row &row = m_rows.at(index.row());
    const Incident &incident = row.incident;
    switch (role) {
    case Qt::DisplayRole:
        return display(incident, index.column());
    case Qt::ToolTipRole:
        if (const QString why = m_notYours.value(incident.id); !why.isEmpty())
            return tr("Waits for someone else's approval: %1").arg(why);
        if (index.column() == AgeColumn)
            return tr("Detected %1 UTC").arg(formatTime(incident.detectedAt));
        return incident.title.isEmpty() ? incident.id : u"%1 — %2"_s.arg(incident.id, incident.title);
    case IncidentIdRole:
        return incident.id;
    case SortRole:
        return sortKey(incident, index.column());
    case SeverityRankRole:
        return static_cast<int>(severityRank(incident.severity));
    case StateRole:
        return static_cast<int>(incident.state);
    case AttentionRole:
        return attention(incident);
    case NotYoursRole:
        return m_notYours.value(incident.id);
    case LevelRole:
        return incident.level;
    case DetectedAtRole:
        return toMillis(incident.detectedAt);
    case ResolvedInRole:
        return incident.resolvedAt ? QVariant::fromValue<qint64>((*incident.resolvedAt - incident.detectedAt).count())
                                   : QVariant();
    case SearchTextRole:
        return row.searchText;
    default:
        return {};
    }
}

QVariant IncidentModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case SeverityColumn:
        return tr("Severity");
    case ServiceColumn:
        return tr("Service");
    case TitleColumn:
        return tr("Alert");
    case RunbookColumn:
        return tr("Runbook");
    case StateColumn:
        return tr("State");
    case LevelColumn:
        return tr("Level");
    case AgeColumn:
        return tr("Age");
    case ResolvedInColumn:
        return tr("Resolved in");
    default:
        return {};
    }
}

void IncidentModel::upsert(const Incident &incident)
{
    const auto it = m_pendingById.constFind(incident.id);
    if (it != m_pendingById.constEnd()) {
        m_pending[*it] = incident; // only the latest version of an incident matters
    } else {
        m_pendingById.insert(incident.id, m_pending.size());
        m_pending << incident;
    }
    m_coalescer.poke();
}

void IncidentModel::flush()
{
    if (m_pending.isEmpty())
        return;
    const QList<Incident> pending = std::exchange(m_pending, {});
    m_pendingById.clear();

    QList<Row> added;
    QList<int> changedRows;
    QStringList ids;
    for (const Incident &incident : pending) {
        ids << incident.id;
        const int row = m_rowById.value(incident.id, -1);
        if (row >= 0) {
            m_rows[row] = makeRow(incident);
            changedRows << row;
        } else {
            added << makeRow(incident);
        }
    }

    if (!changedRows.isEmpty()) {
        const int last = ColumnCount - 1;
        if (changedRows.size() > m_rows.size() / 2) {
            Q_EMIT dataChanged(index(0, 0), index(rowCount() - 1, last));
        } else {
            for (int row : std::as_const(changedRows))
                Q_EMIT dataChanged(index(row, 0), index(row, last));
        }
    }
    if (!added.isEmpty()) {
        const int first = rowCount();
        beginInsertRows({}, first, first + static_cast<int>(added.size()) - 1);
        for (const Row &row : std::as_const(added)) {
            m_rowById.insert(row.incident.id, static_cast<int>(m_rows.size()));
            m_rows << row;
        }
        endInsertRows();
    }
    Q_EMIT incidentsUpdated(ids);
}

void IncidentModel::setNow(TimePoint now)
{
    m_now = now;
    if (!m_rows.isEmpty())
        Q_EMIT dataChanged(index(0, AgeColumn), index(rowCount() - 1, AgeColumn), { Qt::DisplayRole });
}

const Incident *IncidentModel::incident(const QString &id) const
{
    const int row = m_rowById.value(id, -1);
    return row < 0 ? nullptr : &m_rows.at(row).incident;
}

} // namespace antibody
