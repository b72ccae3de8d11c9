// The team server's event fan-out: 50 WebSocket clients over TLS on loopback, and how
// long an event takes from the store's durable commit to each client. The clients
// share the server's thread and event loop, so each figure includes the whole fan-out
// (every client's frame written and read) on one core.
#include "bench/benchmark.h"
#include "engine/core/virtualclock.h"
#include "engine/store/sqlitestore.h"
#include "server/eventjournal.h"
#include "server/teamserver.h"
#include "simulator/scenarios/simulatedenvironment.h"
#include "tests/support/selfsignedcertificate.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QJsonDocument>
#include <QSslCertificate>
#include <QTemporaryDir>
#include <QWebSocket>
#include <algorithm>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

QElapsedTimer g_clock; // one monotonic clock for "committed at" and "received at"
QList<double> g_committedNs; // event i's durable commit returned at this time

struct FanOutClient
{
    QWebSocket socket;
    QList<double> latenciesMs;
    int events = 0;
};

void spin(int ms)
{
    QDeadlineTimer until(ms);
    while (!until.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

double percentile(QList<double> values, double p)
{
    if (values.isEmpty())
        return 0;
    std::sort(values.begin(), values.end());
    return values.at(std::min<qsizetype>(values.size() - 1, static_cast<qsizetype>(p * values.size())));
}

} // namespace

ANTIBODY_BENCHMARK(server_fanout)
{
    const int clientCount = bench::quick() ? 5 : 50;
    const int eventCount = bench::scaled(400);
    test::SelfSignedCertificate certificate;
    QTemporaryDir dir;
    QString error;
    auto store = SqliteStore::open(dir.filePath(u"antibody.db"_s), &error);
    if (!certificate.ok() || !store) {
        bench::report(u"server_fanout_setup_failed"_s, 1, certificate.error + error);
        return;
    }
    VirtualClock clock(fromMillis(1'780'000'000'000));
    sim::SimulatedEnvironment environment(clock, 1);
    Engine engine(environment.ports(store.get()), Engine::Settings {}); // never started: the bench writes the events
    TeamServer server(engine, *store, {});
    TeamServer::Options options;
    options.api.tls = ClientApi::tlsFromFiles(certificate.certFile(), certificate.keyFile(), &error);
    if (!options.api.tls || !server.start(options, &error)) {
        bench::report(u"server_fanout_setup_failed"_s, 1, error);
        return;
    }

    QSslConfiguration trust = QSslConfiguration::defaultConfiguration();
    trust.setCaCertificates(QSslCertificate::fromData(certificate.certPem, QSsl::Pem));
    std::vector<std::unique_ptr<FanOutClient>> clients;
    for (int i = 0; i < clientCount; ++i) {
        auto c = std::make_unique<FanOutClient>();
        FanOutClient *raw = c.get();
        c->socket.setSslConfiguration(trust);
        QObject::connect(&c->socket, &QWebSocket::textMessageReceived, &c->socket, [raw](const QString &text) {
            const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
            if (m.value(u"type"_s) != u"event"_s)
                return;
            const auto i = m.value(u"data"_s).toObject().value(u"i"_s).toInteger();
            raw->latenciesMs << (static_cast<double>(g_clock.nsecsElapsed()) - g_committedNs.value(i)) / 1e6;
            ++raw->events;
        });
        QObject::connect(&c->socket, &QWebSocket::connected, &c->socket, [raw, i] {
            raw->socket.sendTextMessage(u"{\"type\":\"hello\",\"protocol\":1,\"name\":\"bench-%1\"}"_s.arg(i));
        });
        c->socket.open(QUrl(server.api().url()));
        clients.push_back(std::move(c));
    }
    QDeadlineTimer connectBy(30'000);
    while (server.api().clientCount() < clientCount && !connectBy.hasExpired())
        spin(10);
    spin(300); // every hello answered
    bench::report(u"server_fanout_clients"_s, server.api().clientCount(), u"clients"_s);

    // Decisions at 100 a second, each committed before append() returns (synchronous=FULL).
    g_clock.start();
    g_committedNs.clear();
    QList<double> commitMs;
    for (int i = 0; i < eventCount; ++i) {
        const double before = static_cast<double>(g_clock.nsecsElapsed());
        store->append(EngineEvent::make(EngineEvent::Kind::Approved, clock.now(), u"INC-bench"_s,
            u"approved by bench"_s, QJsonObject { { u"i"_s, i } }));
        g_committedNs << static_cast<double>(g_clock.nsecsElapsed());
        commitMs << (g_committedNs.last() - before) / 1e6;
        server.journal().wake();
        spin(10);
    }
    QDeadlineTimer drainBy(30'000);
    auto delivered = [&] {
        return std::all_of(clients.cbegin(), clients.cend(), [&](const auto &c) { return c->events >= eventCount; });
    };
    while (!delivered() && !drainBy.hasExpired())
        spin(10);

    QList<double> all;
    qint64 received = 0;
    for (const auto &c : clients) {
        all << c->latenciesMs;
        received += c->events;
    }
    bench::report(u"server_fanout_delivered"_s,
        100.0 * static_cast<double>(received) / (double(eventCount) * clientCount), u"%"_s);
    bench::report(u"server_fanout_durable_commit_p50"_s, percentile(commitMs, 0.50), u"ms"_s);
    bench::report(u"server_fanout_commit_to_client_p50"_s, percentile(all, 0.50), u"ms"_s);
    bench::report(u"server_fanout_commit_to_client_p99"_s, percentile(all, 0.99), u"ms"_s);
    bench::report(u"server_fanout_commit_to_client_max"_s, percentile(all, 1.0), u"ms"_s);
}
