#include "ui/breakerpanel.h"

#include "engine/ports/store.h"
#include "models/breakermodel.h"
#include "models/link/enginecommands.h"
#include "ui/hintlabel.h"
#include "ui/recordtable.h"
#include "ui/tonedelegate.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QMessageBox>
#include <QPushButton>
#include <QTableView>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {

BreakerPanel::BreakerPanel(BreakerModel *breakers, EngineCommands *commands, QWidget *parent)
    : QWidget(parent)
    , m_breakers(breakers)
    , m_commands(commands)
    , m_table(new RecordTable(u"breakerTable"_s, breakers, this))
    , m_reset(new QPushButton(tr("Reset breaker…"), this))
    , m_confirm([](QWidget *parent, const QString &title, const QString &text) {
        return QMessageBox::question(parent, title, text, QMessageBox::Reset | QMessageBox::Cancel, QMessageBox::Cancel)
            == QMessageBox::Reset;
    })
{
    auto *intro
        = new HintLabel(tr("A breaker opens when a remediation fails 3 times in 10 minutes: automation of "
                           "that remediation stops and a human is paged. Reset it once the cause is understood."),
            this);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setItemDelegateForColumn(BreakerModel::StateColumn,
        new ToneDelegate(
            [](const QModelIndex &i, const ConsolePalette &p) {
                const auto state = static_cast<BreakerState::State>(i.data(BreakerModel::StateRole).toInt());
                return state == BreakerState::State::Closed ? p.ok
                    : state == BreakerState::State::Open    ? p.blocked
                                                            : p.waiting;
            },
            true, this));
    m_reset->setObjectName(u"resetBreakerButton"_s);
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(m_reset);
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(intro);
    layout->addWidget(m_table, 1);
    layout->addLayout(buttons);
    connect(m_reset, &QPushButton::clicked, this, &BreakerPanel::resetSelected);
    connect(m_table->selectionModel(), &QItemSelectionModel::currentRowChanged, this, &BreakerPanel::updateButton);
    connect(breakers, &QAbstractItemModel::dataChanged, this, &BreakerPanel::updateButton);
    connect(breakers, &QAbstractItemModel::rowsInserted, this, [this] {
        if (!m_table->currentIndex().isValid())
            m_table->setCurrentIndex(m_breakers->index(0, 0));
    });
    updateButton();
}

void BreakerPanel::updateButton()
{
    const QModelIndex current = m_table->currentIndex();
    const bool open = current.isValid()
        && static_cast<BreakerState::State>(current.data(BreakerModel::StateRole).toInt())
            != BreakerState::State::Closed;
    m_reset->setEnabled(open);
    m_reset->setToolTip(open ? tr("Resume automation of this remediation") : tr("Select an open breaker to reset it"));
}

void BreakerPanel::resetSelected()
{
    const QModelIndex current = m_table->currentIndex();
    if (!current.isValid() || !m_commands)
        return;
    const BreakerState &breaker = m_breakers->breakerAt(current.row());
    if (breaker.state == BreakerState::State::Closed)
        return;
    const QString text = tr("Reset the circuit breaker for %1?\n\n"
                            "It opened after %2 failures; last: %3\n\n"
                            "Automation of %1 resumes at once. Reset only when the cause is understood. "
                            "The reset is recorded in the audit log as yours (%4).")
                             .arg(breaker.type)
                             .arg(breaker.failures.size())
                             .arg(breaker.lastReason.isEmpty() ? tr("no reason recorded") : breaker.lastReason,
                                 m_commands->approver());
    if (m_confirm(this, tr("Reset circuit breaker"), text))
        m_commands->resetBreaker(breaker.type);
}

} // namespace antibody
