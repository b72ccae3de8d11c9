#pragma once

// A TCP relay in front of a server, for tests of dropped connections: every byte passes
// unchanged (TLS stays end to end between client and server), dropAll() cuts every
// connection at once as a network or a restarted load balancer would, and while
// refusing, new connections are closed as soon as they arrive. An observer sees the
// clients' bytes as they arrive, before they go on (a benchmark times a request by it).
#include <QHostAddress>
#include <QList>
#include <QPointer>
#include <QTcpServer>
#include <QTcpSocket>
#include <functional>

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

    void dropAll()
    {
        for (const Pair &p : std::as_const(m_pairs)) {
            if (p.client)
                p.client->abort();
            if (p.upstream)
                p.upstream->abort();
        }
        m_pairs.clear();
    }

private:
    struct Pair
    {
        QPointer<QTcpSocket> client;
        QPointer<QTcpSocket> upstream;
    };

    void accept()
    {
        while (QTcpSocket *client = m_server.nextPendingConnection()) {
            QObject::connect(client, &QTcpSocket::disconnected, client, &QObject::deleteLater);
            if (m_refusing) {
                client->abort();
                continue;
            }
            ++m_accepted;
            auto *upstream = new QTcpSocket(client);
            // Written before the upstream connection is up, bytes wait in its buffer.
            upstream->connectToHost(QHostAddress::LocalHost, m_upstreamPort);
            QObject::connect(client, &QTcpSocket::readyRead, upstream, [=, this] {
                const QByteArray bytes = client->readAll();
                if (m_observer)
                    m_observer(bytes);
                upstream->write(bytes);
            });
            QObject::connect(upstream, &QTcpSocket::readyRead, client, [=] { client->write(upstream->readAll()); });
            QObject::connect(upstream, &QTcpSocket::disconnected, client, [=] { client->disconnectFromHost(); });
            QObject::connect(client, &QTcpSocket::disconnected, upstream, [=] { upstream->disconnectFromHost(); });
            m_pairs << Pair { client, upstream };
        }
    }

    quint16 m_upstreamPort;
    QTcpServer m_server;
    QList<Pair> m_pairs;
    std::function<void(const QByteArray &)> m_observer;
    int m_accepted = 0;
    bool m_refusing = false;
};

} // namespace antibody::test
