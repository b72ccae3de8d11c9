#pragma once

#include <QAbstractItemModel>
#include <QJsonObject>
#include <QJsonValue>
#include <memory>
#include <vector>

namespace antibody {

// A JSON document as a read-only tree: the diagnostics bundle an incident carries
// (metric snapshots, target states, findings), browsable key by key.
class JsonTreeModel : public QAbstractItemModel
{
    Q_OBJECT
public:
    enum Columns { KeyColumn, ValueColumn, ColumnCount };
    enum Roles { PathRole = Qt::UserRole }; // "findings.cause"

    explicit JsonTreeModel(QObject *parent = nullptr);
    ~JsonTreeModel() override;

    void setDocument(const QJsonObject &root);

    QModelIndex index(int row, int column, const QModelIndex &parent = {}) const override;
    QModelIndex parent(const QModelIndex &child) const override;
    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role = Qt::DisplayRole) const override;

    // A scalar as a person reads it: numbers without trailing zeros, true/false, "null".
    static QString scalarText(const QJsonValue &value);

private:
    struct Node
    {
        QString key;
        QString path;
        QJsonValue value; // scalars only; containers keep their children
        bool container = false;
        int childCount = 0;
        Node *parent = nullptr;
        int row = 0;
        std::vector<std::unique_ptr<Node>> children;
    };
    static void build(Node *node, const QJsonValue &value);
    Node *nodeOf(const QModelIndex &index) const;

    std::unique_ptr<Node> m_root;
};

} // namespace antibody
