#include "models/jsontreemodel.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {

JsonTreeModel::JsonTreeModel(QObject *parent)
    : QAbstractItemModel(parent)
    , m_root(std::make_unique<Node>())
{
    m_root->container = true;
}

JsonTreeModel::~JsonTreeModel() = default;

void JsonTreeModel::build(Node *node, const QJsonValue &value)
{
    auto add = [node](const QString &key, const QJsonValue &child) {
        auto n = std::make_unique<Node>();
        n->key = key;
        n->path = node->path.isEmpty() ? key : node->path + u'.' + key;
        n->parent = node;
        n->row = static_cast<int>(node->children.size());
        build(n.get(), child);
        node->children.push_back(std::move(n));
    };
    if (value.isObject()) {
        node->container = true;
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            add(it.key(), it.value());
    } else if (value.isArray()) {
        node->container = true;
        const QJsonArray array = value.toArray();
        for (qsizetype i = 0; i < array.size(); ++i)
            add(QString::number(i), array.at(i));
    } else {
        node->value = value;
    }
    node->childCount = static_cast<int>(node->children.size());
}

void JsonTreeModel::setDocument(const QJsonObject &root)
{
    beginResetModel();
    m_root = std::make_unique<Node>();
    build(m_root.get(), root);
    endResetModel();
}

JsonTreeModel::Node *JsonTreeModel::nodeOf(const QModelIndex &index) const
{
    return index.isValid() ? static_cast<Node *>(index.internalPointer()) : m_root.get();
}

QModelIndex JsonTreeModel::index(int row, int column, const QModelIndex &parent) const
{
    if (!hasIndex(row, column, parent))
        return {};
    Node *p = nodeOf(parent);
    return createIndex(row, column, p->children.at(static_cast<std::size_t>(row)).get());
}

QModelIndex JsonTreeModel::parent(const QModelIndex &child) const
{
    if (!child.isValid())
        return {};
    Node *p = nodeOf(child)->parent;
    if (!p || p == m_root.get())
        return {};
    return createIndex(p->row, 0, p);
}

int JsonTreeModel::rowCount(const QModelIndex &parent) const
{
    if (parent.column() > 0)
        return 0;
    return nodeOf(parent)->childCount;
}

int JsonTreeModel::columnCount(const QModelIndex &) const
{
    return ColumnCount;
}

QString JsonTreeModel::scalarText(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::Bool:
        return value.toBool() ? u"true"_s : u"false"_s;
    case QJsonValue::Double:
        return QString::number(value.toDouble(), 'g', 12);
    case QJsonValue::String:
        return value.toString();
    case QJsonValue::Null:
        return u"null"_s;
    default:
        return {};
    }
}

QVariant JsonTreeModel::data(const QModelIndex &index, int role) const
{
    if (!hasIndex(index.row(), index.column(), index.parent()))
        return {};
    const Node *node = nodeOf(index);
    switch (role) {
    case Qt::DisplayRole:
    case Qt::ToolTipRole:
        if (index.column() == KeyColumn)
            return node->key;
        if (node->container)
            return role == Qt::DisplayRole
                ? (node->childCount == 1 ? tr("1 item") : tr("%1 items").arg(node->childCount))
                : QVariant();
        return scalarText(node->value);
    case PathRole:
        return node->path;
    default:
        return {};
    }
}

QVariant JsonTreeModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    return section == KeyColumn ? tr("Key") : tr("Value");
}

} // namespace antibody
