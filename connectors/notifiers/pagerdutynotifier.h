#pragma once

#include "connectors/config/configuration.h"
#include "connectors/http/httpclient.h"
#include "engine/ports/notifier.h"

#include <QJsonObject>
#include <QObject>

namespace antibody {

// PagerDuty Events API v2. A page triggers an alert with the incident's id as
// dedup key and the diagnostics in custom_details; a resolve closes it with the
// same key; an after-the-fact notice ("healed, notified after") is a change
// event, which informs without paging anyone. The routing key travels in the
// request body only, and never appears in errors or logs.
class PagerDutyNotifier : public QObject, public Notifier
{
    Q_OBJECT
public:
    explicit PagerDutyNotifier(PagerDutyConfig config, QObject *parent = nullptr);

    QString name() const override;
    void send(const Notification &notification, std::function<void(const NotifyResult &)> done) override;

    // The request body for a notification (the routing key included), and where it goes.
    QJsonObject eventFor(const Notification &n) const;
    QUrl urlFor(const Notification &n) const;
    // critical/high/medium/low/info -> PagerDuty's critical/error/warning/info.
    static QString severityOf(const QString &severity);

private:
    PagerDutyConfig m_config;
    HttpClient m_http;
};

} // namespace antibody
