#pragma once

#include "engine/domain/proposal.h"

#include <QIcon>
#include <QList>
#include <QObject>
#include <QTimer>

class QSystemTrayIcon;

namespace antibody {

class ProposalBook;

// The tray icon with the number of approvals waiting, and a desktop notification
// when a new one arrives; clicking the notification opens that incident. Bursts
// (the console starting with several waiting) make one notification, not five.
class ApprovalTray : public QObject
{
    Q_OBJECT
public:
    ApprovalTray(ProposalBook *proposals, const QIcon &icon, QObject *parent = nullptr);
    ~ApprovalTray() override;

    bool isAvailable() const { return m_tray != nullptr; }
    int count() const { return m_count; }
    QString toolTip() const;
    // The notification a burst of new approvals makes: title, then body.
    static std::pair<QString, QString> notification(const QList<Proposal> &arrived);
    // The icon with the count drawn on it (nothing drawn for 0).
    static QIcon badged(const QIcon &icon, int count);

Q_SIGNALS:
    void openIncident(const QString &id);
    void showWindow();
    // Emitted whether or not a tray exists (the window flashes its taskbar entry).
    void notified(const QString &title, const QString &body);

private:
    void onCount(int count);
    void announce();

    QIcon m_icon;
    QSystemTrayIcon *m_tray = nullptr;
    int m_count = 0;
    QList<Proposal> m_arrived;
    QString m_openOnClick;
    QTimer m_burst;
};

} // namespace antibody
