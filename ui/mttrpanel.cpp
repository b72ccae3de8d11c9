#include "ui/mttrpanel.h"

#include "models/incidentfilter.h"
#include "models/incidentmodel.h"
#include "models/mttrmodel.h"
#include "ui/hintlabel.h"
#include "ui/mttrbardelegate.h"
#include "ui/recordtable.h"
#include "ui/tonedelegate.h"

#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {
MttrPanel::MttrPanel(MttrModel *mttr, IncidentModel *incidents, QWidget *parent)
    : QWidget(parent)
    , m_mttr(mttr)
    , m_summary(new QLabel(this))
    , m_levels(new QTableView(this))
    , m_resolved(new IncidentFilter(this))
    , m_incidents(new RecordTable(u"mttrIncidents"_s, m_resolved, this))
{
    m_summary->setObjectName(u"mttrSummary"_s);
    m_summary->setWordWrap(true);
    m_levels->setObjectName(u"mttrLevels"_s);
    m_levels->setModel(mttr);
    m_levels->verticalHeader()->hide();
    m_levels->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_levels->setSelectionMode(QAbstractItemView::NoSelection);
    m_levels->horizontalHeader()->setSectionResizeMode(QHeaderView::ResizeToContents);
    m_levels->horizontalHeader()->setSectionResizeMode(MttrModel::ChartColumn, QHeaderView::Stretch);
    m_levels->setItemDelegateForColumn(MttrModel::ChartColumn, new MttrBarDelegate(this));
    m_levels->setItemDelegateForColumn(MttrModel::VerdictColumn,
        new ToneDelegate(
            [](const QModelIndex &i, const ConsolePalette &p) {
                const QVariant onPar = i.data(MttrModel::OnParRole);
                return onPar.isValid() ? (onPar.toBool() ? p.ok : p.blocked) : QColor();
            },
            true, this));
    m_levels->verticalHeader()->setDefaultSectionSize(m_levels->fontMetrics().height() + 14);
    m_levels->setMinimumHeight(m_levels->verticalHeader()->defaultSectionSize() * 6 + 8);
    m_levels->setVerticalScrollBarPolicy(Qt::ScrollBarAlwaysOff);

    m_resolved->setSourceModel(incidents);
    m_resolved->setScope(IncidentFilter::Scope::Resolved);
    m_incidents->setSortingEnabled(true);
    m_incidents->sortByColumn(IncidentModel::AgeColumn, Qt::AscendingOrder); // the latest first
    m_incidents->hideColumn(IncidentModel::StateColumn);
    m_incidents->horizontalHeader()->setSectionResizeMode(IncidentModel::TitleColumn, QHeaderView::Stretch);

    auto *legend = new HintLabel(tr("Bars: median time from detection to resolution. Shaded: within the seed's "
                                    "baseline for the level; tick: its typical value. Per incident below."),
        this);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_summary);
    layout->addWidget(m_levels);
    layout->addWidget(legend);
    layout->addWidget(m_incidents, 1);

    auto refresh = [this] { m_summary->setText(u"<b>%1</b>"_s.arg(m_mttr->summary().toHtmlEscaped())); };
    connect(mttr, &MttrModel::summaryChanged, this, refresh);
    connect(m_incidents, &QTableView::activated, this, [this](const QModelIndex &index) {
        Q_EMIT openIncident(index.data(IncidentModel::IncidentIdRole).toString());
    });
    refresh();
}

} // namespace antibody
