#pragma once

#include "engine/ports/store.h"
#include "engine/rehearsal/drillschedule.h"

#include <QAbstractItemModel>
#include <QHash>
#include <QStringList>
#include <memory>
#include <vector>

namespace antibody {

// The runbook library as a tree of folders and files, each runbook with its
// level, whether it validates, and its last drill (result and age), flagged when
// no drill passed in the last 30 days.
class RunbookFolderModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Columns { NameColumn, LevelColumn, DrillColumn, ColumnCount };
    enum Roles { PathRole = Qt::UserRole, IsFolderRole, RunbookNameRole, DrillStatusRole, FlaggedRole, ValidRole };

    explicit RunbookFolderModel(QObject *parent = nullptr);
    ~RunbookFolderModel() override;

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // Reads the folder (recursively, *.yaml and *.yml) and each runbook in it.
    void setRoot(const QString &folder);
    const QString &root() const { return m_root; }
    // Reads the folder again (after a save, a new runbook, a change on disk).
    void refresh();
    void setDrillHistory(const QList<DrillResult> &history);
    void setNow(TimePoint now);

    QModelIndex indexOfFile(const QString &path) const;
    // The names of the runbooks that loaded, for asking the store about their drills.
    QStringList runbookNames() const;

private:
    struct Node;
    Node *nodeOf(const QModelIndex &index) const;
    QModelIndex indexOf(const Node *node, int column) const;
    void drillColumnChanged();

    std::unique_ptr<Node> m_top;
    QString m_root;
    QHash<QString, DrillResult> m_drills; // by runbook name
    TimePoint m_now;
};

} // namespace antibody
