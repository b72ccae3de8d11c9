#include "faultproxy.h"

#include <QNetworkReply>
#include <QNetworkRequest>
#include <QPointer>
#include <QTimer>

namespace antibody::test {

FaultProxy::FaultProxy(QUrl upstream, QObject *parent)
    : QObject(parent)
    , m_upstream(std::move(upstream))
{
    m_server.setAsyncHandler(
        [this](const TestRequest &request, TestHttpServer::Responder respond) { handle(request, std::move(respond)); });
}

void FaultProxy::setMode(Mode mode, int delayMs)
{
    m_mode = mode;
    m_delayMs = delayMs;
}

void FaultProxy::handle(const TestRequest &request, TestHttpServer::Responder respond)
{
    switch (m_mode) {
    case Mode::ServerError:
        respond(TestReply(500, "internal error (injected by the test's fault proxy)\n", "text/plain"));
        return;
    case Mode::Malformed:
        respond(TestReply(200, "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[{\"metric\":"));
        return;
    case Mode::Refuse: {
        TestReply drop;
        drop.drop = true;
        respond(drop);
        return;
    }
    case Mode::Pass:
    case Mode::Slow:
    case Mode::Truncated:
        break;
    }
    QUrl target = m_upstream;
    target.setPath(QString::fromUtf8(request.path));
    target.setQuery(QString::fromUtf8(request.query), QUrl::StrictMode);
    QNetworkRequest forward(target);
    for (auto it = request.headers.begin(); it != request.headers.end(); ++it) {
        // Accept-Encoding stays behind: the proxy hands bodies on decoded, without their Content-Encoding.
        if (it.key() != "host" && it.key() != "content-length" && it.key() != "connection"
            && it.key() != "accept-encoding")
            forward.setRawHeader(it.key(), it.value());
    }
    QNetworkReply *reply = m_network.sendCustomRequest(forward, request.method, request.body);
    const Mode mode = m_mode;
    const int delay = m_delayMs;
    connect(reply, &QNetworkReply::finished, this, [this, reply, respond, mode, delay] {
        reply->deleteLater();
        ++m_forwarded;
        TestReply answer(reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll(),
            reply->header(QNetworkRequest::ContentTypeHeader).toByteArray());
        if (answer.status == 0)
            answer = TestReply(502, "upstream unreachable (fault proxy)\n", "text/plain");
        if (mode == Mode::Truncated)
            answer.truncateAt = answer.body.size() / 2;
        if (mode == Mode::Slow && delay > 0) {
            QTimer::singleShot(delay, this, [respond, answer] { respond(answer); });
            return;
        }
        respond(answer);
    });
}

} // namespace antibody::test
