#pragma once

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QObject>
#include <QPair>
#include <QUrl>
#include <functional>
#include <memory>

class QSslCertificate;
class QSslKey;
class QTcpServer;
class QTcpSocket;

namespace antibody::test {

struct TestRequest
{
    QByteArray method;
    QByteArray target; // as sent: "/api/v1/query?query=up" (or an absolute URL through a proxy)
    QByteArray path;
    QByteArray query;
    QMap<QByteArray, QByteArray> headers; // names in lower case
    QByteArray body;

    QByteArray header(const QByteArray &name) const { return headers.value(name.toLower()); }
    QString queryItem(const QString &key) const;
};

struct TestReply
{
    TestReply() = default;
    TestReply(int status_, QByteArray body_, QByteArray contentType_ = "application/json")
        : status(status_)
        , body(std::move(body_))
        , contentType(std::move(contentType_))
    {
    }

    int status = 200;
    QByteArray body;
    QByteArray contentType = "application/json";
    QList<QPair<QByteArray, QByteArray>> headers;
    int delayMs = 0; // answer later (on the event loop: nothing sleeps)
    bool drop = false;

    TestReply &header(QByteArray name, QByteArray value)
    {
        headers.append(qMakePair(std::move(name), std::move(value)));
        return *this;
    }
    // close the connection without answering
    bool noLength = false; // no Content-Length: the body ends when the connection closes
    qint64 truncateAt = -1; // announce the full length, send this many bytes, close
};

// A small HTTP/1.1 server on 127.0.0.1 for connector tests: our own test sink
// and the base of the fakes and the fault-injecting proxy, never a product.
// One request per connection (it answers with Connection: close).
class TestHttpServer : public QObject
{
    Q_OBJECT
public:
    using Handler = std::function<TestReply(const TestRequest &)>;

    explicit TestHttpServer(QObject *parent = nullptr);
    ~TestHttpServer() override;

    bool listen(quint16 port = 0);
    // HTTPS with this certificate and key.
    bool listenTls(const QSslCertificate &certificate, const QSslKey &key, quint16 port = 0);
    void close();

    quint16 port() const;
    QUrl url(const QString &pathAndQuery = {}) const;

    void setHandler(Handler handler) { m_handler = std::move(handler); }
    // Replies produced later, from outside the handler (a proxy waiting on upstream).
    using Responder = std::function<void(const TestReply &)>;
    using AsyncHandler = std::function<void(const TestRequest &, Responder)>;
    void setAsyncHandler(AsyncHandler handler) { m_asyncHandler = std::move(handler); }

    QList<TestRequest> requests() const { return m_requests; }
    int requestCount() const { return static_cast<int>(m_requests.size()); }
    void clearRequests() { m_requests.clear(); }

Q_SIGNALS:
    void received(const QByteArray &path);

private:
    void accept();
    void readFrom(QTcpSocket *socket);
    void respond(QTcpSocket *socket, const TestReply &reply);

    std::unique_ptr<QTcpServer> m_server;
    bool m_tls = false;
    Handler m_handler;
    AsyncHandler m_asyncHandler;
    QList<TestRequest> m_requests;
    QMap<QTcpSocket *, QByteArray> m_buffers;
};

} // namespace antibody::test
