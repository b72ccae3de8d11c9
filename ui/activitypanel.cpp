#include "ui/activitypanel.h"

#include "models/activitymodel.h"
#include "ui/hintlabel.h"
#include "ui/recordtable.h"
#include "ui/tonedelegate.h"

#include <QHeaderView>
#include <QLabel>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QColor toneOf(ActivityEntry::Kind kind, const ConsolePalette &p)
{
    switch (kind) {
    case ActivityEntry::Kind::Healed:
    case ActivityEntry::Kind::Resolved:
    case ActivityEntry::Kind::BreakerClosed:
        return p.ok;
    case ActivityEntry::Kind::WaitingApproval:
        return p.waiting;
    case ActivityEntry::Kind::Escalated:
    case ActivityEntry::Kind::Paged:
    case ActivityEntry::Kind::BreakerOpened:
    case ActivityEntry::Kind::Interrupted:
    case ActivityEntry::Kind::RunbookRejected:
        return p.blocked;
    default:
        return {};
    }
}

} // namespace

ActivityPanel::ActivityPanel(ActivityModel *activity, QWidget *parent)
    : QWidget(parent)
    , m_table(new RecordTable(u"activityTable"_s, activity, this))
{
    auto *intro = new HintLabel(tr("What the engine did, newest first. Level 3 heals run without waking anyone; "
                                   "on-call is notified after. Double-click a line to open its incident."),
        this);
    m_table->setItemDelegateForColumn(ActivityModel::HeadlineColumn,
        new ToneDelegate(
            [](const QModelIndex &i, const ConsolePalette &p) {
                return toneOf(static_cast<ActivityEntry::Kind>(i.data(ActivityModel::KindRole).toInt()), p);
            },
            true, this));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    connect(m_table, &QTableView::activated, this, [this](const QModelIndex &index) {
        const QString id = index.data(ActivityModel::IncidentIdRole).toString();
        if (!id.isEmpty())
            Q_EMIT openIncident(id);
    });
}

} // namespace antibody
