// Review finding 11: a network partition must not hang the database worker (and the
// console's exit) for good. libpq's keepalives and TCP user timeout notice a silent
// peer in seconds; the DSN may still set its own; libpq accepts every keyword we pass.
#include "connectors/postgres/pgconnection.h"

#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

QByteArray valueOf(const QList<std::pair<QByteArray, QByteArray>> &pairs, const QByteArray &key)
{
    for (const auto &[k, v] : pairs) {
        if (k == key)
            return v;
    }
    return {};
}

qsizetype indexOf(const QList<std::pair<QByteArray, QByteArray>> &pairs, const QByteArray &key)
{
    for (qsizetype i = 0; i < pairs.size(); ++i) {
        if (pairs.at(i).first == key)
            return i;
    }
    return -1;
}

} // namespace

class TestPgConnection : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aSilentPeerIsNoticedInSeconds()
    {
        PgConnection::Settings s;
        s.dsn = u"host=db.internal dbname=orders user=antibody"_s;
        s.statementTimeout = Duration { 10'000 };
        const auto pairs = PgConnection::connectionKeywords(s);
        QCOMPARE(valueOf(pairs, "keepalives"), QByteArray("1"));
        const int idle = valueOf(pairs, "keepalives_idle").toInt();
        const int interval = valueOf(pairs, "keepalives_interval").toInt();
        const int count = valueOf(pairs, "keepalives_count").toInt();
        QVERIFY(idle > 0 && interval > 0 && count > 0);
        QVERIFY2(idle + interval * count <= 30, "a dead peer must be noticed within half a minute");
        QCOMPARE(valueOf(pairs, "tcp_user_timeout").toLongLong(), 15'000); // the statement's time, and 5 s more
        // The DSN comes after the keepalives, so an operator's own settings win.
        QVERIFY(indexOf(pairs, "dbname") > indexOf(pairs, "tcp_user_timeout"));
        QVERIFY(indexOf(pairs, "dbname") > indexOf(pairs, "keepalives"));
        QVERIFY(!pairs.isEmpty());
        for (const auto &[k, v] : pairs)
            QVERIFY2(k != "password", "the password is added at the open only");
    }

    void aSessionIdleInATransactionIsEndedByTheServerWhenAsked()
    {
        PgConnection::Settings s;
        s.dsn = u"host=db.internal dbname=orders"_s;
        QCOMPARE(valueOf(PgConnection::connectionKeywords(s), "options"), QByteArray("-c statement_timeout=10000"));
        s.idleInTransactionTimeout = Duration { 5'000 };
        QCOMPARE(valueOf(PgConnection::connectionKeywords(s), "options"),
            QByteArray("-c statement_timeout=10000 -c idle_in_transaction_session_timeout=5000"));
    }

    void libpqAcceptsEveryKeyword()
    {
        // A closed port: the open fails for the network's reason, not for a keyword
        // this libpq does not know (which would say "invalid connection option").
        PgConnection::Settings s;
        s.dsn = u"host=127.0.0.1 port=1 dbname=postgres user=antibody"_s;
        s.connectTimeout = Duration { 1'000 };
        PgConnection c(s);
        const QString error = c.exec(u"SELECT 1"_s, {}).error;
        QVERIFY(!error.isEmpty());
        QVERIFY2(!error.contains(u"invalid connection option"_s), qPrintable(error));
        QVERIFY2(error.contains(u"127.0.0.1"_s), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestPgConnection)
#include "tst_pgconnection.moc"
