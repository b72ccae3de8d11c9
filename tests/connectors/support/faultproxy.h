#pragma once

#include "testhttpserver.h"

#include <QNetworkAccessManager>
#include <QObject>
#include <QUrl>

namespace antibody::test {

// Our own fault-injecting test tool (not a product, not a fake): an HTTP proxy
// in front of a real server (Prometheus, Alertmanager) that passes requests on,
// or answers slowly, with HTTP 500, or with malformed JSON, as the test says.
class FaultProxy : public QObject
{
    Q_OBJECT
public:
    enum class Mode { Pass, Slow, ServerError, Malformed, Truncated, Refuse };

    explicit FaultProxy(QUrl upstream, QObject *parent = nullptr);

    bool listen() { return m_server.listen(); }
    QUrl url() const { return m_server.url(); }
    void setMode(Mode mode, int delayMs = 0);
    Mode mode() const { return m_mode; }
    int forwarded() const { return m_forwarded; }

private:
    void handle(const TestRequest &request, TestHttpServer::Responder respond);

    QUrl m_upstream;
    TestHttpServer m_server;
    QNetworkAccessManager m_network;
    Mode m_mode = Mode::Pass;
    int m_delayMs = 0;
    int m_forwarded = 0;
};

} // namespace antibody::test
