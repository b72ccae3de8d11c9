#pragma once

#include <QHostAddress>
#include <QObject>
#include <QString>
#include <functional>
#include <memory>

class QHttpServer;

namespace antibody {

class ServerMetrics;

// The ecosystem's conventions, on plain HTTP for Prometheus, Alertmanager and health
// checks: GET /metrics, GET /healthz (the process answers), GET /readyz (it can serve:
// 503 with the reason otherwise) and POST /v1/alertmanager, Alertmanager's webhook
// (`webhook_configs`). A webhook delivery is checked and then makes the alert sources
// look now: the webhook says when, Alertmanager's API says what (one reading of alerts
// for polls and pushes, deduplicated by fingerprint), and polling stays the resync path.
class HttpEndpoints : public QObject
{
    Q_OBJECT
public:
    struct Hooks
    {
        std::function<QString()> notReady; // empty: ready
        std::function<void()> alertsPushed; // a valid webhook delivery arrived
    };

    HttpEndpoints(ServerMetrics &metrics, Hooks hooks, QObject *parent = nullptr);
    ~HttpEndpoints() override;

    bool listen(const QHostAddress &address, quint16 port, QString *error);
    quint16 port() const { return m_port; }

    // A webhook body is at most this large (Alertmanager's max_alerts keeps it far below).
    static constexpr qsizetype maxWebhookBytes = 4 * 1024 * 1024;
    // Why a webhook body is refused; empty when it is a version 4 message with alerts.
    static QString webhookProblem(const QByteArray &body, int *alerts);

private:
    ServerMetrics &m_metrics;
    Hooks m_hooks;
    std::unique_ptr<QHttpServer> m_http;
    quint16 m_port = 0;
};

} // namespace antibody
