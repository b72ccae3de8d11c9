#include "models/editor/runbookfoldermodel.h"

#include "engine/runbook/runbookloader.h"

#include <QDir>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace antibody {

struct RunbookFolderModel::Node
{
    QString name; // file or folder name
    QString path; // absolute
    bool folder = true;
    Node *parent = nullptr;
    std::vector<std::unique_ptr<Node>> children;
    // files
    QString runbook; // empty when it does not load
    int level = -1;
    int errors = 0;
    QString firstError;

    int row() const
    {
        if (!parent)
            return 0;
        for (std::size_t i = 0; i < parent->children.size(); ++i) {
            if (parent->children[i].get() == this)
                return static_cast<int>(i);
        }
        return 0;
    }
    Node *child(const QString &childName)
    {
        for (auto &c : children) {
            if (c->folder && c->name == childName)
                return c.get();
        }
        auto n = std::make_unique<Node>();
        n->name = childName;
        n->parent = this;
        n->path = QDir(path).filePath(childName);
        children.push_back(std::move(n));
        return children.back().get();
    }
};

RunbookFolderModel::RunbookFolderModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_top(std::make_unique<Node>())
{
}

RunbookFolderModel::~RunbookFolderModel() = default;

RunbookFolderModel::Node *RunbookFolderModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_top.get();
}

QModelIndex RunbookFolderModel::indexOf(const Node *node, int column) const
{
    if (!node || node == m_top.get())
        return {};
    return createIndex(node->row(), column, const_cast<Node *>(node));
}

QModelIndex RunbookFolderModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    Node *p = nodeOf(parent);
    return createIndex(row, column, p->children.at(static_cast<std::size_t>(row)).get());
}

QModelIndex RunbookFolderModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    return indexOf(nodeOf(child)->parent, 0);
}

int RunbookFolderModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return static_cast<int>(nodeOf(parent)->children.size());
}

int RunbookFolderModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QVariant RunbookFolderModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case NameColumn:
        return tr("Runbook");
    case LevelColumn:
        return tr("Level");
    case DrillColumn:
        return tr("Last drill");
    default:
        return {};
    }
}

QVariant RunbookFolderModel::data(const QModelIndex &index, int role) const
{
    if (!hasIndex(index.row(), index.column(), index.parent()))
        return {};
    const Node *n = nodeOf(index);
    const std::optional<DrillResult> last
        = m_drills.contains(n->runbook) ? std::optional(m_drills.value(n->runbook)) : std::nullopt;
    const DrillSchedule::Status status = DrillSchedule::status(last, m_now);
    const bool flagged = !n->folder && !n->runbook.isEmpty() && DrillSchedule::isFlagged(status);
    switch (role) {
    case Qt::DisplayRole:
        switch (index.column()) {
        case NameColumn:
            return n->name;
        case LevelColumn:
            if (n->folder)
                return {};
            return n->errors > 0 ? tr("invalid") : QString::number(n->level);
        case DrillColumn:
            if (n->folder || n->runbook.isEmpty())
                return {};
            return (flagged ? u"⚠ "_s : QString()) + DrillSchedule::summary(last, m_now);
        default:
            return {};
        }
    case Qt::ToolTipRole: {
        if (n->folder)
            return n->path;
        if (n->errors > 0)
            return tr("%1\n%2 error(s); first: %3").arg(n->path).arg(n->errors).arg(n->firstError);
        QString tip = tr("%1\nrunbook %2, level %3").arg(n->path, n->runbook).arg(n->level);
        if (last) {
            tip += u"\n"_s
                + tr("last drill: %1 on %2 UTC, scenario %3: %4")
                      .arg(last->passed ? tr("passed") : tr("failed"),
                          formatTime(last->at).left(16).replace(u'T', u' '), last->scenario, last->detail);
        }
        if (flagged)
            tip += u"\n"_s + DrillSchedule::warning(last, m_now, QDir::current().relativeFilePath(n->path));
        return tip;
    }
    case PathRole:
        return n->path;
    case IsFolderRole:
        return n->folder;
    case RunbookNameRole:
        return n->runbook;
    case DrillStatusRole:
        return n->folder ? QVariant() : QVariant(static_cast<int>(status));
    case FlaggedRole:
        return flagged;
    case ValidRole:
        return !n->folder && n->errors == 0;
    default:
        return {};
    }
}

void RunbookFolderModel::setRoot(const QString &folder)
{
    m_root = QFileInfo(folder).absoluteFilePath();
    refresh();
}

void RunbookFolderModel::refresh()
{
    beginResetModel();
    m_top = std::make_unique<Node>();
    m_top->path = m_root;
    if (!m_root.isEmpty()) {
        const QDir root(m_root);
        for (const QString &file : findRunbookFiles({ m_root })) {
            const QStringList parts = root.relativeFilePath(file).split(u'/');
            Node *at = m_top.get();
            for (qsizetype i = 0; i + 1 < parts.size(); ++i)
                at = at->child(parts.at(i));
            auto leaf = std::make_unique<Node>();
            leaf->name = parts.back();
            leaf->path = QFileInfo(file).absoluteFilePath();
            leaf->folder = false;
            leaf->parent = at;
            const LoadResult r = loadRunbookFile(file);
            if (r.runbook) {
                leaf->runbook = r.runbook->name;
                leaf->level = r.runbook->level;
            }
            for (const Diagnostic &d : r.diagnostics) {
                if (d.isError() && leaf->errors++ == 0)
                    leaf->firstError = d.toString();
            }
            at->children.push_back(std::move(leaf));
        }
    }
    endResetModel();
}

void RunbookFolderModel::drillColumnChanged()
{
    // Every file's drill cell may change; one signal per folder level is enough for views.
    std::function<void(const Node *)> walk = [&](const Node *n) {
        if (!n->children.empty()) {
            const QModelIndex parent = indexOf(n, 0);
            Q_EMIT dataChanged(
                index(0, DrillColumn, parent), index(static_cast<int>(n->children.size()) - 1, DrillColumn, parent));
        }
        for (const auto &c : n->children)
            walk(c.get());
    };
    walk(m_top.get());
}

void RunbookFolderModel::setDrillHistory(const QList<DrillResult> &history)
{
    for (const DrillResult &d : history) {
        const auto it = m_drills.constFind(d.runbook);
        if (it == m_drills.constEnd() || it->at <= d.at)
            m_drills.insert(d.runbook, d);
    }
    drillColumnChanged();
}

void RunbookFolderModel::setNow(TimePoint now)
{
    m_now = now;
    drillColumnChanged();
}

QModelIndex RunbookFolderModel::indexOfFile(const QString &path) const
{
    const QString wanted = QFileInfo(path).absoluteFilePath();
    std::function<const Node *(const Node *)> find = [&](const Node *n) -> const Node * {
        if (!n->folder && n->path == wanted)
            return n;
        for (const auto &c : n->children) {
            if (const Node *hit = find(c.get()))
                return hit;
        }
        return nullptr;
    };
    return indexOf(find(m_top.get()), 0);
}

QStringList RunbookFolderModel::runbookNames() const
{
    QStringList names;
    std::function<void(const Node *)> walk = [&](const Node *n) {
        if (!n->folder && !n->runbook.isEmpty())
            names << n->runbook;
        for (const auto &c : n->children)
            walk(c.get());
    };
    walk(m_top.get());
    return names;
}

} // namespace antibody
