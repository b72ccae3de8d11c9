#pragma once

// What the end-to-end suites on the real stack share (tst_realstackrun,
// tst_realstackchaos): `antibodyctl run` as a child with its JSON lines, and the
// stack's PostgreSQL, Prometheus and Alertmanager as the suites look at them.
#include "realstack.h"
#include "runprocess.h"
#include "tests/support/clirun.h"
#include "tests/support/httpget.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QTest>
#include <QUrlQuery>
#include <cmath>
#include <libpq-fe.h>
#include <optional>

namespace antibody::test {

using namespace Qt::StringLiterals;

inline const QString poolAlert = u"DbConnectionPoolExhausted"_s;
inline const QString runbookName = u"connection-pool-exhaustion"_s;

inline QString sourcePath(const QString &path)
{
    return qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + u'/' + path;
}

// A connection to the stack's PostgreSQL. On a full pool a slot another session held
// for a moment (the exporter's scrape, the engine's executor) frees again: ask again
// rather than fail (bounded: 10 s). A non-superuser meets "remaining connection slots
// are reserved" when only the reserved slot is left, a superuser "too many clients".
// Null when every try met one of them.
inline PGconn *connectWhenASlotFrees(const QString &dsn)
{
    for (int attempt = 0; attempt < 100; ++attempt) {
        PGconn *c = PQconnectdb(dsn.toUtf8().constData());
        const QByteArray error(PQerrorMessage(c));
        if (PQstatus(c) == CONNECTION_OK || !(error.contains("too many clients") || error.contains("are reserved")))
            return c;
        PQfinish(c);
        QTest::qWait(100);
    }
    return nullptr;
}

// One query as the superuser, closed at once: a held connection would take the
// slot the executor needs on a full pool.
inline QList<QStringList> query(const char *sql)
{
    PGconn *c = connectWhenASlotFrees(RealStack::adminDsn() + u" application_name=tst_realstackrun"_s);
    QList<QStringList> rows;
    if (!c) {
        qWarning("cannot connect to the real stack's PostgreSQL: every slot stayed taken for 10 s");
        return rows;
    }
    if (PQstatus(c) == CONNECTION_OK) {
        PGresult *r = PQexec(c, sql);
        for (int i = 0; PQresultStatus(r) == PGRES_TUPLES_OK && i < PQntuples(r); ++i) {
            QStringList row;
            for (int j = 0; j < PQnfields(r); ++j)
                row << QString::fromUtf8(PQgetvalue(r, i, j));
            rows << row;
        }
        PQclear(r);
    } else {
        qWarning("cannot connect to the real stack's PostgreSQL: %s", PQerrorMessage(c));
    }
    PQfinish(c);
    return rows;
}

// The executor names a connection "pid N".
inline QStringList idleAppConnectionsOldestFirst()
{
    QStringList out;
    for (const QStringList &row : query("SELECT pid FROM pg_stat_activity WHERE usename = 'app' AND state = 'idle' "
                                        "ORDER BY state_change, pid"))
        out << u"pid "_s + row.value(0);
    return out;
}

inline int appConnections()
{
    const auto rows = query("SELECT count(*) FROM pg_stat_activity WHERE usename = 'app'");
    return rows.isEmpty() ? -1 : rows.first().value(0).toInt();
}

inline QJsonDocument httpGet(const QUrl &url)
{
    const HttpAnswer answer = httpAnswer(url);
    return answer.ok ? QJsonDocument::fromJson(answer.body) : QJsonDocument();
}

// The pool's utilization as Prometheus sees it now; NaN when it has no value.
inline double utilization()
{
    QUrl url = RealStack::prometheus();
    url.setPath(u"/api/v1/query"_s);
    url.setQuery(QUrlQuery { { u"query"_s, u"service:pg_connection_utilization:ratio"_s } });
    const QJsonArray result = httpGet(url).object().value(u"data"_s).toObject().value(u"result"_s).toArray();
    if (result.size() != 1)
        return std::nan("");
    return result.first().toObject().value(u"value"_s).toArray().at(1).toString().toDouble();
}

inline bool alertmanagerHasPoolAlert()
{
    QUrl url = RealStack::alertmanager();
    url.setPath(u"/api/v2/alerts"_s);
    const QJsonDocument doc = httpGet(url);
    if (!doc.isArray())
        return true; // no answer: not known to be resolved
    for (const QJsonValue &a : doc.array()) {
        if (a.toObject().value(u"labels"_s).toObject().value(u"alertname"_s).toString() == poolAlert)
            return true;
    }
    return false;
}

// The stack up, the pool unloaded, no pool alert left: a pool exhausted (or an alert still
// active) by another suite would start a suite mid-incident. A failure is the test's.
inline void waitForQuietStack()
{
    QString log;
    QVERIFY2(RealStack::run({ u"up"_s }, &log), qPrintable(log));
    QVERIFY2(RealStack::run({ u"release"_s }, &log), qPrintable(log));
    QTRY_VERIFY_WITH_TIMEOUT(utilization() < 0.5, 60'000);
    QTRY_VERIFY_WITH_TIMEOUT(!alertmanagerHasPoolAlert(), 60'000);
}

using CliRun = cli::Run;

// antibodyctl with its data home in `dataHome`, where the suite keeps its database.
inline CliRun antibodyctl(const QStringList &args, const QString &dataHome)
{
    return cli::run(QStringLiteral(ANTIBODYCTL), args, 60'000, dataHome);
}

} // namespace antibody::test
