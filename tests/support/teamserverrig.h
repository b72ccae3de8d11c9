#pragma once

// The team server as antibody-server builds it, in the test's process: the real engine
// on the console demo's simulated fleet in virtual time, its SQLite store, and the
// client API over TLS with a throwaway certificate. The server can be stopped and
// started again on the same port while the engine and its store go on.
#include "engine/core/virtualclock.h"
#include "engine/runbook/runbookloader.h"
#include "engine/store/sqlitestore.h"
#include "server/teamserver.h"
#include "simulator/scenarios/consoledemo.h"
#include "simulator/scenarios/scenariorun.h"
#include "tests/support/checklist.h"
#include "tests/support/selfsignedcertificate.h"

#include <QTemporaryDir>
#include <QTest>

namespace antibody::test {

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;

inline QList<Runbook> shippedRunbooks()
{
    const LibraryResult library = loadRunbookLibrary({ qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + u"/runbooks"_s });
    if (library.hasErrors() || library.runbooks.isEmpty())
        qFatal("the shipped runbooks do not load: run `antibodyctl lint runbooks`");
    return library.runbooks;
}

struct TeamServerRig
{
    // `heartbeat`: real time, as the server's sockets run in real time.
    explicit TeamServerRig(const SelfSignedCertificate &certificate, Duration heartbeat = Duration { 500 })
        : clock(*parseTime(u"2026-12-02T03:00:00Z"_s))
        , m_certificate(certificate)
        , m_heartbeat(heartbeat)
    {
        QString error;
        store = SqliteStore::open(dir.filePath(u"antibody.db"_s), &error);
        if (!store)
            qFatal("%s", qPrintable(error));
        sim::ScenarioRun::Options options;
        options.approvals = sim::ScenarioRun::Approvals::None; // the people at the consoles answer
        options.runbooks = shippedRunbooks();
        options.store = store.get();
        run = std::make_unique<sim::ScenarioRun>(sim::consoleDemo(), clock, options);
        startServer();
        run->start();
    }

    // Starts the server (again) on `port`; 0: any free port.
    void startServer(quint16 port = 0)
    {
        server = std::make_unique<TeamServer>(
            run->engine(), *store, QList<AlertSource *> { run->environment().alertSource() });
        server->setMetricSource(run->environment().metricSource(), clock);
        TeamServer::Options serverOptions;
        QString error;
        serverOptions.api.tls = ClientApi::tlsFromFiles(m_certificate.certFile(), m_certificate.keyFile(), &error);
        serverOptions.api.port = port;
        serverOptions.api.heartbeat = m_heartbeat;
        serverOptions.journalPoll = Duration { 50 };
        serverOptions.api.tokens = tokens;
        if (!serverOptions.api.tls || !server->start(serverOptions, &error))
            qFatal("%s", qPrintable(error));
    }

    // Restarts the server so that hello's tokens are checked by `gate` (it outlives the rig's server).
    void checkTokensWith(TokenGate &gate)
    {
        tokens = &gate;
        stopServer();
        startServer();
    }

    // The server goes away, its sockets with it; the engine and the store go on.
    quint16 stopServer()
    {
        const quint16 port = server->api().port();
        server.reset();
        return port;
    }

    // Virtual time passes as it would while people read; the sockets keep up in real time.
    void wait(Duration d)
    {
        const TimePoint until = clock.now() + d;
        while (clock.now() < until) {
            clock.advanceBy(std::min<Duration>(Duration { 5'000 }, until - clock.now()));
            QTest::qWait(5);
        }
        QTest::qWait(100);
    }

    std::optional<Incident> waiting(const QString &runbook) const
    {
        for (const Incident &i : run->engine().incidents()) {
            if (i.runbook == runbook && i.state == IncidentState::AwaitingApproval)
                return i;
        }
        return std::nullopt;
    }

    // Plays the demo until an incident of `runbook` shows its plan as a checklist (makeChecklist).
    std::optional<Proposal> untilShown(const QString &runbook)
    {
        for (int i = 0; i < 240 && !shownChecklist(run->engine(), runbook); ++i)
            wait(5s);
        return shownChecklist(run->engine(), runbook);
    }

    std::optional<Incident> untilWaiting(const QString &runbook)
    {
        for (int i = 0; i < 240 && !waiting(runbook); ++i)
            wait(5s);
        return waiting(runbook);
    }

    QList<qint64> storedSeqsAfter(qint64 seq)
    {
        QList<qint64> out;
        for (const AuditLog::StoredEvent &e : store->eventsAfter(seq, 100'000))
            out << e.seq;
        return out;
    }

    // Whether the audit trail holds an event of `kind` (of `incident`, when given) whose
    // detail says `detail`.
    bool stored(const QString &kind, const QString &incident, const QString &detail)
    {
        const QList<AuditLog::StoredEvent> events = store->eventsAfter(0, 100'000);
        return std::any_of(events.cbegin(), events.cend(), [&](const AuditLog::StoredEvent &e) {
            return e.kind == kind && (incident.isEmpty() || e.incidentId == incident) && e.detail.contains(detail);
        });
    }

    QTemporaryDir dir;
    VirtualClock clock;
    std::unique_ptr<SqliteStore> store;
    std::unique_ptr<sim::ScenarioRun> run;
    std::unique_ptr<TeamServer> server;
    TokenGate *tokens = nullptr; // hello's tokens checked by this gate when the server (re)starts

private:
    const SelfSignedCertificate &m_certificate;
    Duration m_heartbeat;
};

} // namespace antibody::test
