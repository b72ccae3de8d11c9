#include "ui/incidentlist.h"

#include "models/incidentfilter.h"
#include "models/incidentmodel.h"
#include "ui/tonedelegate.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLineEdit>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {

IncidentList::IncidentList(IncidentModel *incidents, QWidget *parent)
    : QWidget(parent)
    , m_incidents(incidents)
    , m_filter(new IncidentFilter(this))
    , m_search(new QLineEdit(this))
    , m_scope(new QComboBox(this))
    , m_table(new QTableView(this))
{
    m_filter->setSourceModel(incidents);
    m_filter->sort(IncidentModel::StateColumn, Qt::AscendingOrder);

    m_search->setObjectName(u"incidentSearch"_s);
    m_search->setPlaceholderText(tr("Search: service, alert, runbook, label… (Ctrl+F)"));
    m_search->setClearButtonEnabled(true);
    m_search->installEventFilter(this);
    m_scope->setObjectName(u"incidentScope"_s);
    m_scope->addItem(tr("All incidents"), int(IncidentFilter::Scope::All));
    m_scope->addItem(tr("Unresolved"), int(IncidentFilter::Scope::Unresolved));
    m_scope->addItem(tr("Resolved"), int(IncidentFilter::Scope::Resolved));

    m_table->setObjectName(u"incidentTable"_s);
    m_table->setModel(m_filter);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setSortingEnabled(true);
    m_table->sortByColumn(IncidentModel::StateColumn, Qt::AscendingOrder);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setAlternatingRowColors(true);
    m_table->verticalHeader()->hide();
    m_table->verticalHeader()->setDefaultSectionSize(m_table->fontMetrics().height() + 8);
    m_table->setWordWrap(false);
    m_table->installEventFilter(this);
    QHeaderView *header = m_table->horizontalHeader();
    header->setSectionResizeMode(QHeaderView::ResizeToContents);
    header->setSectionResizeMode(IncidentModel::TitleColumn, QHeaderView::Stretch);
    header->setHighlightSections(false);
    m_table->hideColumn(IncidentModel::ResolvedInColumn);

    // A plan that waits for someone else's approval (the team server's policy): its row
    // dimmed, below those that wait for you, the reason in its tooltip.
    const auto notYours
        = [](const QModelIndex &i) { return !i.data(IncidentModel::NotYoursRole).toString().isEmpty(); };
    m_table->setItemDelegate(new ToneDelegate(
        [notYours](const QModelIndex &i, const ConsolePalette &p) { return notYours(i) ? p.muted : QColor(); }, false,
        this));
    m_table->setItemDelegateForColumn(IncidentModel::SeverityColumn,
        new ToneDelegate(
            [notYours](const QModelIndex &i, const ConsolePalette &p) {
                return notYours(i) ? p.muted : p.severity(i.data(IncidentModel::SeverityRankRole).toInt());
            },
            true, this));
    m_table->setItemDelegateForColumn(IncidentModel::StateColumn,
        new ToneDelegate(
            [notYours](const QModelIndex &i, const ConsolePalette &p) {
                return notYours(i) ? p.muted : p.incidentState(i.data(IncidentModel::StateRole).toInt());
            },
            true, this));

    auto *top = new QHBoxLayout;
    top->addWidget(m_search, 1);
    top->addWidget(m_scope);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addLayout(top);
    layout->addWidget(m_table, 1);

    connect(m_search, &QLineEdit::textChanged, m_filter, &IncidentFilter::setSearchText);
    connect(m_scope, &QComboBox::currentIndexChanged, this,
        [this] { m_filter->setScope(static_cast<IncidentFilter::Scope>(m_scope->currentData().toInt())); });
    connect(
        m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, [this](const QModelIndex &current) {
            const QString id = current.data(IncidentModel::IncidentIdRole).toString();
            if (id == m_current)
                return;
            m_current = id;
            Q_EMIT currentIncidentChanged(id);
        });
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT incidentActivated(index.data(IncidentModel::IncidentIdRole).toString());
    });
    connect(m_filter, &QAbstractItemModel::rowsInserted, this, &IncidentList::selectFirstIfNone);
    connect(m_filter, &QAbstractItemModel::layoutChanged, this, &IncidentList::selectFirstIfNone);
}

QString IncidentList::currentIncident() const
{
    return m_current;
}

void IncidentList::selectFirstIfNone()
{
    // The first incident on screen is the one that most needs a human: show it
    // without making the engineer click.
    if (!m_table->currentIndex().isValid() && m_filter->rowCount() > 0)
        m_table->setCurrentIndex(m_filter->index(0, IncidentModel::SeverityColumn));
}

void IncidentList::selectIncident(const QString &id)
{
    const int sourceRow = m_incidents->rowOf(id);
    if (sourceRow < 0)
        return;
    QModelIndex index = m_filter->mapFromSource(m_incidents->index(sourceRow, IncidentModel::SeverityColumn));
    if (!index.isValid()) {
        m_search->clear();
        m_scope->setCurrentIndex(0);
        index = m_filter->mapFromSource(m_incidents->index(sourceRow, IncidentModel::SeverityColumn));
    }
    m_table->setCurrentIndex(index);
    m_table->scrollTo(index);
}

void IncidentList::focusSearch()
{
    m_search->setFocus();
    m_search->selectAll();
}

bool IncidentList::eventFilter(QObject *watched, QEvent *event)
{
    if (event->type() != QEvent::KeyPress)
        return QWidget::eventFilter(watched, event);
    const auto *key = static_cast<QKeyEvent *>(event);
    if (watched == m_search) {
        if (key->key() == Qt::Key_Escape) {
            m_search->clear();
            m_table->setFocus();
            return true;
        }
        if (key->key() == Qt::Key_Down || key->key() == Qt::Key_Return || key->key() == Qt::Key_Enter) {
            m_table->setFocus();
            if (!m_table->currentIndex().isValid() && m_filter->rowCount() > 0)
                m_table->setCurrentIndex(m_filter->index(0, 0));
            return true;
        }
    } else if (watched == m_table && key->key() == Qt::Key_Slash) {
        focusSearch(); // as in less and most web apps
        return true;
    }
    return QWidget::eventFilter(watched, event);
}

} // namespace antibody
