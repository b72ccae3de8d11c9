#include "ui/approvaltray.h"

#include "models/present/proposalbook.h"

#include <QPainter>
#include <QSystemTrayIcon>

using namespace Qt::StringLiterals;

namespace antibody {

ApprovalTray::ApprovalTray(ProposalBook *proposals, const QIcon &icon, QObject *parent)
    : QObject(parent)
    , m_icon(icon)
{
    if (QSystemTrayIcon::isSystemTrayAvailable()) {
        m_tray = new QSystemTrayIcon(m_icon, this);
        m_tray->setToolTip(toolTip());
        m_tray->show();
        connect(m_tray, &QSystemTrayIcon::messageClicked, this, [this] {
            if (!m_openOnClick.isEmpty())
                Q_EMIT openIncident(m_openOnClick);
            Q_EMIT showWindow();
        });
        connect(m_tray, &QSystemTrayIcon::activated, this,
            [this](QSystemTrayIcon::ActivationReason) { Q_EMIT showWindow(); });
    }
    m_burst.setSingleShot(true);
    m_burst.setInterval(400);
    connect(&m_burst, &QTimer::timeout, this, &ApprovalTray::announce);
    connect(proposals, &ProposalBook::waitingCountChanged, this, &ApprovalTray::onCount);
    connect(proposals, &ProposalBook::approvalWaiting, this, [this](const Proposal &p) {
        m_arrived << p;
        if (!m_burst.isActive())
            m_burst.start();
    });
}

ApprovalTray::~ApprovalTray() = default;

QString ApprovalTray::toolTip() const
{
    if (m_count == 0)
        return tr("Antibody: nothing waits for approval");
    return m_count == 1 ? tr("Antibody: 1 approval waiting") : tr("Antibody: %1 approvals waiting").arg(m_count);
}

void ApprovalTray::onCount(int count)
{
    m_count = count;
    if (m_tray) {
        m_tray->setIcon(badged(m_icon, count));
        m_tray->setToolTip(toolTip());
    }
}

std::pair<QString, QString> ApprovalTray::notification(const QList<Proposal> &arrived)
{
    if (arrived.isEmpty())
        return {};
    if (arrived.size() > 1) {
        QStringList which;
        for (const Proposal &p : arrived)
            which << u"%1 (%2)"_s.arg(p.plan.runbook, p.plan.service);
        return { tr("%1 approvals waiting").arg(arrived.size()),
            which.join(u", "_s) + tr(". Click to review the first.") };
    }
    const Proposal &p = arrived.front();
    QString body = p.plan.service;
    for (const PlannedStep &s : p.plan.steps) {
        if (s.blastRadius) {
            body += u" · "_s + s.blastRadius->summary();
            break;
        }
    }
    return { tr("Approval waiting: %1").arg(p.plan.runbook), body + tr(". Click to review.") };
}

void ApprovalTray::announce()
{
    if (m_arrived.isEmpty())
        return;
    const auto [title, body] = notification(m_arrived);
    m_openOnClick = m_arrived.front().incidentId;
    m_arrived.clear();
    if (m_tray)
        m_tray->showMessage(title, body, QSystemTrayIcon::Warning, 30'000);
    Q_EMIT notified(title, body);
}

QIcon ApprovalTray::badged(const QIcon &icon, int count)
{
    if (count <= 0)
        return icon;
    QPixmap pixmap = icon.pixmap(64, 64);
    if (pixmap.isNull()) {
        pixmap = QPixmap(64, 64);
        pixmap.fill(Qt::transparent);
    }
    QPainter painter(&pixmap);
    painter.setRenderHint(QPainter::Antialiasing);
    const QRectF badge(26, 26, 38, 38);
    painter.setBrush(QColor(0xd3, 0x2f, 0x2f));
    painter.setPen(QPen(Qt::white, 3));
    painter.drawEllipse(badge);
    QFont font = painter.font();
    font.setBold(true);
    font.setPixelSize(count > 9 ? 18 : 24);
    painter.setFont(font);
    painter.drawText(badge, Qt::AlignCenter, count > 99 ? u"99+"_s : QString::number(count));
    return QIcon(pixmap);
}

} // namespace antibody
