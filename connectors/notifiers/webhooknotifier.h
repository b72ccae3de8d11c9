#pragma once

#include "connectors/config/configuration.h"
#include "connectors/http/httpclient.h"
#include "engine/ports/notifier.h"

#include <QJsonObject>
#include <QObject>

namespace antibody {

// A generic JSON webhook, Slack-compatible: `text` holds the line a human reads,
// and structured fields (kind, severity, summary, incident, service, dedup_key,
// details) serve any other receiver. POSTs are not retried once sent: a chat
// message twice is worse than a retry's worth of delay.
class WebhookNotifier : public QObject, public Notifier
{
    Q_OBJECT
public:
    explicit WebhookNotifier(WebhookConfig config, QObject *parent = nullptr);

    QString name() const override;
    void send(const Notification &notification, std::function<void(const NotifyResult &)> done) override;

    static QJsonObject bodyFor(const Notification &n);

private:
    WebhookConfig m_config;
    HttpClient m_http;
};

} // namespace antibody
