// Review finding 11 against the real PostgreSQL 15 of scripts/realstack (label realstack):
// a statement the server does not end in time is cancelled at the client's deadline, a
// network partition frees the database worker and the next statement connects again,
// and stopping the engine thread cancels the statement in flight instead of waiting it out.
#include "connectors/postgres/postgresdatabase.h"
#include "models/link/enginethread.h"
#include "realstack.h"

#include <QElapsedTimer>
#include <QHostAddress>
#include <QTcpServer>
#include <QTcpSocket>
#include <QTest>
#include <QThread>
#include <atomic>
#include <optional>

using namespace Qt::StringLiterals;
using namespace antibody;
using antibody::test::RealStack;

namespace {

// A TCP proxy between libpq and PostgreSQL, on a thread of its own, that stops
// forwarding in both directions at once: a partition as the client sees it. Its kernel
// still acknowledges what the client sends (so TCP timeouts never fire), nothing answers,
// and new connections are accepted and left silent.
class PartitionProxy
{
public:
    explicit PartitionProxy(quint16 upstreamPort)
    {
        m_home->moveToThread(&m_thread);
        // Deleted on its thread as the thread finishes, with every socket (which closes them).
        QObject::connect(&m_thread, &QThread::finished, m_home, &QObject::deleteLater);
        m_thread.start();
        QMetaObject::invokeMethod(
            m_home, [this, upstreamPort] { listen(upstreamPort); }, Qt::BlockingQueuedConnection);
    }
    ~PartitionProxy()
    {
        m_thread.quit();
        m_thread.wait();
    }

    quint16 port() const { return m_port; }
    void partition() { m_partitioned = true; }
    void heal() { m_partitioned = false; }

private:
    void listen(quint16 upstreamPort)
    {
        auto *server = new QTcpServer(m_home);
        server->listen(QHostAddress::LocalHost);
        m_port = server->serverPort();
        QObject::connect(server, &QTcpServer::newConnection, m_home, [this, server, upstreamPort] {
            while (QTcpSocket *client = server->nextPendingConnection()) {
                auto *upstream = new QTcpSocket(client);
                if (!m_partitioned)
                    upstream->connectToHost(QHostAddress::LocalHost, upstreamPort);
                forward(client, upstream);
                forward(upstream, client);
            }
        });
    }
    void forward(QTcpSocket *from, QTcpSocket *to)
    {
        QObject::connect(from, &QTcpSocket::readyRead, m_home, [this, from, to] {
            const QByteArray data = from->readAll();
            if (!m_partitioned)
                to->write(data);
        });
        QObject::connect(from, &QTcpSocket::disconnected, m_home, [this, to] {
            if (!m_partitioned)
                to->disconnectFromHost();
        });
    }

    QThread m_thread;
    QObject *m_home = new QObject;
    std::atomic<bool> m_partitioned { false };
    quint16 m_port = 0;
};

PostgresConfig configFor(int port)
{
    PostgresConfig c;
    c.name = u"orders-db"_s;
    c.service = u"orders-db"_s;
    c.dsn = u"host=127.0.0.1 port=%1 dbname=postgres user=postgres"_s.arg(port);
    c.connectTimeout = Duration { 1'000 };
    c.statementTimeout = Duration { 1'000 }; // so the deadline, the statement timeout and 2 s more, is 3 s
    return c;
}

// What one job saw: its statements' answers and how long the one under test took.
struct Seen
{
    PgRows first;
    PgRows last; // the statement under test
    PgRows after;
    qint64 lastMs = 0;
};

// Runs the statement under test and times it.
Seen &timed(PgConnection &pg, const QString &sql, Seen &seen)
{
    QElapsedTimer t;
    t.start();
    seen.last = pg.exec(sql);
    seen.lastMs = t.elapsed();
    return seen;
}

// A job that runs one statement and times it.
std::function<Seen(PgConnection &)> timedStatement(const QString &sql)
{
    return [sql](PgConnection &pg) {
        Seen s;
        return timed(pg, sql, s);
    };
}

// A statement as the superuser, from the test's own session.
PgRows asAdmin(const QString &sql, const QStringList &params)
{
    PgConnection::Settings s;
    s.dsn = RealStack::adminDsn();
    s.applicationName = u"tst_pgcancel"_s;
    return PgConnection(s).exec(sql, params);
}

// What pg_stat_activity says about a backend.
QString stateOf(const QString &pid)
{
    const PgRows r
        = asAdmin(u"SELECT coalesce(state, '') AS state FROM pg_stat_activity WHERE pid = $1::int"_s, { pid });
    return r.rows.isEmpty() ? u"gone"_s : r.value(0, u"state"_s);
}

// The backend running `sql` for Antibody, or empty.
QString backendRunning(const QString &sql)
{
    const PgRows r = asAdmin(
        u"SELECT pid FROM pg_stat_activity WHERE application_name = 'antibody' AND state = 'active' AND query = $1"_s,
        { sql });
    return r.rows.isEmpty() ? QString() : r.value(0, u"pid"_s);
}

void cancelBackend(const QString &pid)
{
    asAdmin(u"SELECT pg_cancel_backend($1::int)"_s, { pid });
}

} // namespace

class TestPgCancel : public QObject
{
    Q_OBJECT

    // Runs `job` on the database's worker and waits up to `waitMs` for its answer.
    static std::optional<Seen> run(PostgresDatabase &db, std::function<Seen(PgConnection &)> job, int waitMs)
    {
        std::optional<Seen> out;
        db.run<Seen>(std::move(job), [&out](Seen seen) { out = std::move(seen); });
        (void)QTest::qWaitFor([&] { return out.has_value(); }, waitMs); // the caller checks the answer
        return out;
    }

private Q_SLOTS:
    void aSlowStatementIsCancelledAtTheDeadline()
    {
        // The server's own statement timeout is off for this session: only the client's deadline can end it.
        PostgresDatabase db(configFor(RealStack::postgresPort()));
        const auto seen = run(
            db,
            [](PgConnection &pg) {
                Seen s;
                s.first = pg.exec(u"SET statement_timeout = 0"_s);
                timed(pg, u"SELECT pg_sleep(20)"_s, s);
                // The server confirmed the cancel: the session is still good for the next statement.
                s.after = pg.exec(u"SELECT pg_backend_pid() AS pid"_s);
                return s;
            },
            10'000);
        QVERIFY2(seen, "the statement was not cancelled at its deadline");
        QVERIFY2(!seen->last.ok, "pg_sleep(20) cannot finish in 3 s");
        QVERIFY2(seen->last.error.startsWith(
                     u"cancelled at the deadline after 3s; the server was asked to cancel the statement"_s),
            qPrintable(seen->last.error));
        QVERIFY2(seen->last.error.contains(u"and confirmed"_s), qPrintable(seen->last.error));
        qInfo("cancelled after %lld ms: %s", seen->lastMs, qPrintable(seen->last.error));
        QVERIFY2(seen->lastMs >= 2'900 && seen->lastMs < 4'500, qPrintable(QString::number(seen->lastMs)));
        QVERIFY2(seen->after.ok, qPrintable(seen->after.error));
        const QString pid = seen->after.value(0, u"pid"_s);
        // Cancelled by the server, not merely abandoned by the client: pg_sleep does not
        // notice a closed client, so without the cancel it would stay active for 17 s more.
        QVERIFY(stateOf(pid) != u"active"_s);
    }

    void aPartitionFreesTheWorkerAndTheNextStatementConnectsAgain()
    {
        auto proxy = std::make_unique<PartitionProxy>(RealStack::postgresPort());
        auto db = std::make_unique<PostgresDatabase>(configFor(proxy->port()));
        PartitionProxy *partition = proxy.get();
        const auto seen = run(
            *db,
            [partition](PgConnection &pg) {
                Seen s;
                s.first = pg.exec(u"SELECT 1 AS one"_s);
                partition->partition();
                return timed(pg, u"SELECT 2 AS two"_s, s);
            },
            15'000);
        if (!seen)
            proxy.reset(); // frees the worker the old way, so that the database can go
        QVERIFY2(seen, "the partition held the database worker");
        QVERIFY2(seen->first.ok, qPrintable(seen->first.error));
        QVERIFY(!seen->last.ok);
        qInfo("freed after %lld ms: %s", seen->lastMs, qPrintable(seen->last.error));
        // 3 s deadline, 2 s for the server to confirm the cancel, which it never can.
        QVERIFY2(seen->last.error.startsWith(u"cancelled at the deadline after 3s"_s), qPrintable(seen->last.error));
        QVERIFY2(seen->last.error.contains(u"the connection was dropped"_s), qPrintable(seen->last.error));
        QVERIFY2(seen->lastMs >= 4'900 && seen->lastMs < 7'000, qPrintable(QString::number(seen->lastMs)));

        // Still partitioned: connecting is bounded by the connect timeout (1 s).
        const auto refused = run(*db, timedStatement(u"SELECT 3"_s), 10'000);
        QVERIFY(refused);
        QVERIFY2(refused->last.error.startsWith(u"cannot connect to PostgreSQL"_s), qPrintable(refused->last.error));
        QVERIFY2(refused->lastMs < 2'500, qPrintable(QString::number(refused->lastMs)));

        proxy->heal();
        const auto healed = run(*db, timedStatement(u"SELECT 4 AS four"_s), 10'000);
        QVERIFY(healed);
        QVERIFY2(healed->last.ok, qPrintable(healed->last.error));
        QCOMPARE(healed->last.value(0, u"four"_s), u"4"_s);
    }

    void stoppingTheEngineThreadCancelsTheStatementInFlight_data()
    {
        QTest::addColumn<bool>("partitioned");
        QTest::addRow("server reachable") << false;
        QTest::addRow("network partitioned") << true;
    }
    void stoppingTheEngineThreadCancelsTheStatementInFlight()
    {
        // The console's exit: EngineThread::stop() on the GUI thread waits for the engine
        // thread, which destroys the database, which waits for its worker.
        QFETCH(bool, partitioned);
        auto proxy = std::make_unique<PartitionProxy>(RealStack::postgresPort());
        auto engineThread = std::make_unique<EngineThread>(u"test-engine"_s);
        const PostgresConfig config = configFor(proxy->port());
        const QString sleep = u"SELECT pg_sleep(20)"_s;
        std::atomic<bool> started { false };
        engineThread->post([anchor = engineThread->anchor(), config, sleep, &started] {
            auto *db = new PostgresDatabase(config, anchor);
            db->run<PgRows>(
                [sleep, &started](PgConnection &pg) {
                    pg.exec(u"SET statement_timeout = 0"_s);
                    started = true;
                    return pg.exec(sleep);
                },
                [](PgRows) {});
        });
        QString pid;
        QTRY_VERIFY_WITH_TIMEOUT(started && !(pid = backendRunning(sleep)).isEmpty(), 10'000);
        if (partitioned)
            proxy->partition();

        QElapsedTimer t;
        t.start();
        engineThread->stop();
        const qint64 stopMs = t.elapsed();
        qInfo("stopped in %lld ms", stopMs);
        proxy.reset();
        if (partitioned) // no cancel could reach the server: end the sleep for the suites that follow
            cancelBackend(pid);
        QVERIFY2(stopMs < 1'000, qPrintable(QString::number(stopMs)));
        if (!partitioned) // the cancel reached the server: the sleep ends now, not in 20 s
            QTRY_VERIFY_WITH_TIMEOUT(stateOf(pid) != u"active"_s, 2'000);
    }
};

QTEST_GUILESS_MAIN(TestPgCancel)
#include "tst_pgcancel.moc"
