#pragma once

#include <QJsonObject>
#include <QString>
#include <functional>

namespace antibody {

struct Notification
{
    enum class Kind { Page, Notify, Resolve };
    Kind kind = Kind::Notify;
    QString dedupKey; // one incident, one key: a later Resolve closes the page
    QString severity; // critical, high, medium, low, info
    QString summary; // one line
    QString incidentId;
    QString service;
    QJsonObject details; // the diagnostics bundle and what was tried; never secrets
};

struct NotifyResult
{
    bool ok = false;
    QString error;
};

// Port: tells humans (PagerDuty, a chat webhook, the console's own tray).
class Notifier
{
public:
    virtual ~Notifier();
    virtual QString name() const = 0;
    virtual void send(const Notification &notification, std::function<void(const NotifyResult &)> done) = 0;
};

} // namespace antibody
