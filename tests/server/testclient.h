#pragma once

// A client of the team server's API as a test or a benchmark drives it: a real
// QWebSocket over TLS that trusts the test's certificate, keeps every message it got
// with the time it arrived, and sends commands. QtCore's QTest::qWaitFor, not Qt Test:
// the benchmarks link no Qt Test.
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QWebSocket>
#include <QtCore/qtestsupport_core.h>
#include <chrono>
#include <optional>

namespace antibody::test {

using namespace Qt::StringLiterals;

class TestClient
{
public:
    explicit TestClient(const QByteArray &trustedCertificatePem)
    {
        QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
        tls.setCaCertificates(QSslCertificate::fromData(trustedCertificatePem, QSsl::Pem));
        tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
        socket.setSslConfiguration(tls);
        QObject::connect(&socket, &QWebSocket::textMessageReceived, &socket, [this](const QString &text) {
            arrivals << std::chrono::steady_clock::now();
            messages << QJsonDocument::fromJson(text.toUtf8()).object();
        });
        QObject::connect(
            &socket, &QWebSocket::sslErrors, &socket, [this](const QList<QSslError> &errors) { tlsErrors << errors; });
    }

    bool open(const QString &url)
    {
        socket.open(QUrl(url));
        return QTest::qWaitFor([this] { return socket.state() == QAbstractSocket::ConnectedState; }, 10'000);
    }

    void send(const QJsonObject &message)
    {
        socket.sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
    }

    void hello(const QString &name, std::optional<qint64> after = std::nullopt)
    {
        QJsonObject m { { u"type"_s, u"hello"_s }, { u"protocol"_s, 1 }, { u"name"_s, name } };
        if (after)
            m.insert(u"after"_s, *after);
        send(m);
    }

    // Sends a command and waits for its reply (10 s of real time at most).
    QJsonObject command(QJsonObject message)
    {
        const QString id = u"r%1"_s.arg(++m_requests);
        message.insert(u"request"_s, id);
        send(message);
        std::optional<QJsonObject> answer;
        (void)QTest::qWaitFor(
            [&] {
                for (const QJsonObject &m : std::as_const(messages)) {
                    if (m.value(u"type"_s) == u"reply"_s && m.value(u"request"_s) == id)
                        answer = m;
                }
                return answer.has_value();
            },
            10'000);
        return answer.value_or(QJsonObject { { u"type"_s, u"no reply"_s } });
    }

    QList<QJsonObject> ofType(const QString &type) const
    {
        QList<QJsonObject> out;
        for (const QJsonObject &m : messages) {
            if (m.value(u"type"_s).toString() == type)
                out << m;
        }
        return out;
    }

    // The event numbers received, in the order they came.
    QList<qint64> eventSeqs() const
    {
        QList<qint64> out;
        for (const QJsonObject &m : ofType(u"event"_s))
            out << m.value(u"seq"_s).toInteger();
        return out;
    }

    QWebSocket socket;
    QList<QJsonObject> messages;
    QList<std::chrono::steady_clock::time_point> arrivals; // when messages[i] arrived
    QList<QSslError> tlsErrors;

private:
    int m_requests = 0;
};

} // namespace antibody::test
