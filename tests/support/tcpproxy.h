#pragma once

// A TCP relay in front of a server, for tests of dropped connections: every byte passes
// unchanged (TLS stays end to end between client and server), dropAll() cuts every
// connection at once as a network or a restarted load balancer would, and while
// refusing, new connections are closed as soon as they arrive. An observer sees the
// clients' bytes as they arrive, before they go on (a benchmark times a request by it).
// partitionAfter() is a network partition in the middle of a conversation: the
// connections stay up and nothing passes either way until heal(), when what waited
// arrives late.
#include <QHostAddress>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <functional>
#include <memory>

namespace antibody::test {

class TcpProxy
{
public:
    explicit TcpProxy(quint16 upstreamPort)
        : m_upstreamPort(upstreamPort)
    {
        QObject::connect(&m_server, &QTcpServer::newConnection, &m_server, [this] { accept(); });
    }
    ~TcpProxy() { dropAll(); }

    bool listen() { return m_server.listen(QHostAddress::LocalHost); }
    quint16 port() const { return m_server.serverPort(); }
    int accepted() const { return m_accepted; }
    void setRefusing(bool refusing) { m_refusing = refusing; }
    void setObserver(std::function<void(const QByteArray &fromClient)> observer) { m_observer = std::move(observer); }

    // Once a client has sent `pattern` (that chunk still reaches the server), nothing more
    // passes on any connection, a close neither, and new connections are refused.
    void partitionAfter(const QByteArray &pattern) { m_partitionAfter = pattern; }
    bool partitioned() const { return m_partitioned; }
    void heal()
    {
        m_partitioned = false;
        m_partitionAfter.clear();
        for (const auto &p : std::as_const(m_pairs)) {
            if (p->upstream) {
                p->upstream->write(std::exchange(p->toUpstream, {}));
                if (p->clientGone)
                    p->upstream->disconnectFromHost();
            }
            if (p->client) {
                p->client->write(std::exchange(p->toClient, {}));
                if (p->upstreamGone)
                    p->client->disconnectFromHost();
            }
        }
    }

    void dropAll()
    {
        for (const auto &p : std::as_const(m_pairs)) {
            if (p->client)
                p->client->abort();
            if (p->upstream)
                p->upstream->abort();
        }
        m_pairs.clear();
    }

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
        // While partitioned: what each side sent, and whether it closed.
        QByteArray toUpstream;
        QByteArray toClient;
        bool clientGone = false;
        bool upstreamGone = false;
    };

    void pass(QTcpSocket *to, QByteArray &held, const QByteArray &bytes) const
    {
        if (m_partitioned)
            held += bytes;
        else if (to)
            to->write(bytes);
    }

    void close(QTcpSocket *other, bool &gone) const
    {
        if (m_partitioned)
            gone = true;
        else if (other)
            other->disconnectFromHost();
    }

    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            QObject::connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            if (m_refusing || m_partitioned) {
                client->abort();
                continue;
            }
            ++m_accepted;
            auto p = std::make_shared<Pair>();
            // Not the client's child: across a partition it outlives the client's close.
            auto *upstream = new QTcpSocket(&m_server);
            QObject::connect(upstream, &QTcpSocket::disconnected, upstream, &QObject::deleteLater);
            p->client = client;
            p->upstream = upstream;
            // Written before the upstream connection is up, bytes wait in its buffer.
            upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
            QObject::connect(client, &QTcpSocket::readyRead, &m_server, [this, p] {
                const QByteArray bytes = p->client->readAll();
                if (m_observer)
                    m_observer(bytes);
                pass(p->upstream, p->toUpstream, bytes);
                if (!m_partitionAfter.isEmpty() && bytes.contains(m_partitionAfter))
                    m_partitioned = true;
            });
            QObject::connect(upstream, &QTcpSocket::readyRead, &m_server,
                [this, p] { pass(p->client, p->toClient, p->upstream->readAll()); });
            QObject::connect(
                upstream, &QTcpSocket::disconnected, &m_server, [this, p] { close(p->client, p->upstreamGone); });
            QObject::connect(
                client, &QTcpSocket::disconnected, &m_server, [this, p] { close(p->upstream, p->clientGone); });
            m_pairs << p;
        }
    }

    quint16 m_upstreamPort;
    QTcpServer m_server;
    QList<std::shared_ptr<Pair>> m_pairs;
    std::function<void(const QByteArray &)> m_observer;
    int m_accepted = 0;
    bool m_refusing = false;
    QByteArray m_partitionAfter;
    bool m_partitioned = false;
};

} // namespace antibody::test
