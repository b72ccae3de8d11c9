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
#include "tests/server/testclient.h"
#include "tests/support/selfsignedcertificate.h"

#include <QCoreApplication>
#include <QDeadlineTimer>
#include <QTemporaryDir>
#include <algorithm>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

QList<bench::SteadyClock::time_point> g_committed; // event i's durable commit returned at this time

void spin(int ms)
{
    QDeadlineTimer until(ms);
    while (!until.hasExpired())
        QCoreApplication::processEvents(QEventLoop::AllEvents, 5);
}

// The events a client received: how many, and each one's time from its commit.
int eventsOf(const test::TestClient &c, QList<double> *latenciesMs = nullptr)
{
    int events = 0;
    for (qsizetype k = 0; k < c.messages.size(); ++k) {
        const QJsonObject &m = c.messages.at(k);
        if (m.value(u"type"_s) != u"event"_s)
            continue;
        ++events;
        const auto i = m.value(u"data"_s).toObject().value(u"i"_s).toInteger();
        if (latenciesMs && i >= 0 && i < g_committed.size())
            *latenciesMs << bench::millisecondsBetween(g_committed.at(i), c.arrivals.at(k));
    }
    return events;
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

    std::vector<std::unique_ptr<test::TestClient>> clients;
    for (int i = 0; i < clientCount; ++i) {
        auto c = std::make_unique<test::TestClient>(certificate.certPem);
        if (c->open(server.api().url()))
            c->hello(u"bench-%1"_s.arg(i));
        clients.push_back(std::move(c));
    }
    QDeadlineTimer connectBy(30'000);
    while (server.api().clientCount() < clientCount && !connectBy.hasExpired())
        spin(10);
    spin(300); // every hello answered
    bench::report(u"server_fanout_clients"_s, server.api().clientCount(), u"clients"_s);

    // Decisions at 100 a second, each committed before append() returns (synchronous=FULL).
    g_committed.clear();
    QList<double> commitMs;
    for (int i = 0; i < eventCount; ++i) {
        const bench::SteadyClock::time_point before = bench::SteadyClock::now();
        store->append(EngineEvent::make(EngineEvent::Kind::Approved, clock.now(), u"INC-bench"_s,
            u"approved by bench"_s, QJsonObject { { u"i"_s, i } }));
        g_committed << bench::SteadyClock::now();
        commitMs << bench::millisecondsBetween(before, g_committed.last());
        server.journal().wake();
        spin(10);
    }
    QDeadlineTimer drainBy(30'000);
    auto delivered = [&] {
        return std::all_of(clients.cbegin(), clients.cend(), [&](const auto &c) { return eventsOf(*c) >= eventCount; });
    };
    while (!delivered() && !drainBy.hasExpired())
        spin(10);

    QList<double> all;
    qint64 received = 0;
    for (const auto &c : clients)
        received += eventsOf(*c, &all);
    bench::report(u"server_fanout_delivered"_s,
        100.0 * static_cast<double>(received) / (double(eventCount) * clientCount), u"%"_s);
    bench::report(u"server_fanout_durable_commit_p50"_s, bench::percentile(commitMs, 0.50), u"ms"_s);
    bench::report(u"server_fanout_commit_to_client_p50"_s, bench::percentile(all, 0.50), u"ms"_s);
    bench::report(u"server_fanout_commit_to_client_p99"_s, bench::percentile(all, 0.99), u"ms"_s);
    bench::report(u"server_fanout_commit_to_client_max"_s, bench::percentile(all, 1.0), u"ms"_s);
}
