// A child process for the store's crash and race suites: it writes through
// SqliteStore as the engine does and prints, flushed, each record the moment the
// store has committed it ("committed ..."), so the parent can kill it anywhere and
// then check that nothing it was told is lost, and that nothing ran twice.
//
//   storeworker crash DB EFFECTS [--rounds N] [--die-after-cpu-us US]
//   storeworker race DB NAME      (stdin: approve N [AT] | claim N [AT] | go N [AT] | quit;
//                                  AT: CLOCK_MONOTONIC nanoseconds to start at, so that both race)
#include "engine/store/identity.h"
#include "engine/store/sqlitestore.h"
#include "tests/engine/storefixtures.h"
#include "tests/support/childoutput.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QFile>
#include <QTextStream>
#include <csignal>
#include <cstdio>
#include <fcntl.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace antibody;
using antibody::test::say;

namespace {

TimePoint now()
{
    return fromMillis(QDateTime::currentMSecsSinceEpoch());
}

std::unique_ptr<SqliteStore> openStore(const QString &file)
{
    QString error;
    auto store = SqliteStore::open(file, &error);
    if (!store) {
        std::fprintf(stderr, "storeworker: %s\n", qPrintable(error));
        std::exit(2);
    }
    store->setFailureHandler([](const QString &m) { std::fprintf(stderr, "failure: %s\n", qPrintable(m)); });
    return store;
}

// The crash workload ------------------------------------------------------------

// Batched records are only committed once a later durable call has returned:
// they are reported then.
class Reporter
{
public:
    void pending(const QString &line) { m_pending << line; }
    void committed(const QString &line)
    {
        for (const QString &p : std::as_const(m_pending))
            say(u"committed "_s + p);
        m_pending.clear();
        say(u"committed "_s + line);
    }

private:
    QStringList m_pending;
};

void dieAfterCpu(long microseconds)
{
    std::signal(SIGPROF, [](int) { ::kill(::getpid(), SIGKILL); });
    itimerval timer {};
    timer.it_value.tv_sec = microseconds / 1'000'000;
    timer.it_value.tv_usec = microseconds % 1'000'000;
    setitimer(ITIMER_PROF, &timer, nullptr);
}

int runRound(SqliteStore &store, Reporter &report, int fd, int n)
{
    const QString incidentId = u"INC-R%1"_s.arg(n);
    const QString proposalId = u"R%1"_s.arg(n);
    Incident incident = fixtures::incident(incidentId, now());
    store.saveIncident(incident);
    report.pending(u"incident %1"_s.arg(incidentId));
    store.saveAlert(incidentId, fixtures::alert(incidentId, now() - Duration { 20'000 }, now()));
    report.pending(u"alert %1"_s.arg(incidentId));
    store.append({ EngineEvent::Kind::Detected, now(), incidentId, u"pool at 96%"_s, {} });
    report.pending(u"event detected %1"_s.arg(incidentId));
    const Proposal p = fixtures::proposal(proposalId, incidentId, now());
    store.saveProposal(p);
    report.pending(u"proposal %1"_s.arg(proposalId));
    store.append({ EngineEvent::Kind::Proposed, now(), incidentId, u"kill 2 idle connections"_s, {} });
    report.committed(u"event proposed %1"_s.arg(incidentId));

    if (store.recordApproval(fixtures::approval(p, u"alice"_s, now())).accepted)
        report.committed(u"approval %1 alice"_s.arg(proposalId));
    const auto claim
        = store.claimExecution(proposalId, p.plan.fingerprint, Identity::process(u"alice"_s), u"alice"_s, now());
    if (!claim.granted) {
        say(u"refused claim %1 by %2"_s.arg(proposalId, claim.claimedBy));
        return 0;
    }
    report.committed(u"claim %1 %2"_s.arg(proposalId, claim.executionId));
    for (int pass = 1; pass <= 3; ++pass) {
        StepRecord step = fixtures::step(claim.executionId, u"kill_idle"_s, pass, now());
        step.id = store.recordStepIntent(step);
        if (step.id == 0) {
            say(u"refused intent %1 pass %2"_s.arg(claim.executionId).arg(pass));
            return 0;
        }
        report.committed(u"intent %1 %2 kill_idle %3"_s.arg(step.id).arg(claim.executionId).arg(pass));
        // The side effect, after its intent and before its outcome.
        const QByteArray effect = u"effect %1 kill_idle %2\n"_s.arg(claim.executionId).arg(pass).toUtf8();
        if (::write(fd, effect.constData(), static_cast<size_t>(effect.size())) != effect.size())
            return 2;
        step.outcome = StepResult::Succeeded;
        step.finishedAt = now();
        step.affected = step.targets;
        store.recordStepOutcome(step);
        report.committed(u"outcome %1"_s.arg(step.id));
    }
    BreakerState breaker;
    breaker.type = u"connection-pool-exhaustion"_s;
    breaker.failures = { now() };
    breaker.lastReason = u"round %1"_s.arg(n);
    store.saveBreaker(breaker);
    report.committed(u"breaker %1"_s.arg(breaker.type));
    store.saveCooldown({ u"database/orders-db-%1"_s.arg(n), now() + Duration { 180'000 }, u"remediated"_s });
    report.committed(u"cooldown database/orders-db-%1"_s.arg(n));
    store.finishExecution(claim.executionId, ExecutionOutcome::Resolved, now());
    report.committed(u"finished %1 resolved"_s.arg(claim.executionId));
    incident.state = IncidentState::Resolved;
    incident.resolvedAt = now();
    incident.history << Transition { IncidentState::Resolved, now(), u"pool below 70%"_s };
    store.saveIncident(incident);
    report.committed(u"incident %1"_s.arg(incidentId));
    store.append({ EngineEvent::Kind::Resolved, now(), incidentId, u"resolved"_s, {} });
    report.committed(u"event resolved %1"_s.arg(incidentId));
    return 0;
}

int crash(const QStringList &args)
{
    const QString file = args.value(0);
    const QString effects = args.value(1);
    int rounds = 1000;
    for (qsizetype i = 2; i + 1 < args.size(); i += 2) {
        if (args.at(i) == u"--rounds"_s)
            rounds = args.at(i + 1).toInt();
        else if (args.at(i) == u"--die-after-cpu-us"_s)
            dieAfterCpu(args.at(i + 1).toLong());
    }
    const int fd = ::open(QFile::encodeName(effects).constData(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0644);
    if (fd < 0)
        return 2;
    auto store = openStore(file);
    Reporter report;
    // Recovery, as the engine does it at start: never re-run, mark interrupted.
    for (const ExecutionRecord &x : store->unfinishedExecutions()) {
        store->finishExecution(x.id, ExecutionOutcome::Interrupted, now());
        report.committed(u"finished %1 interrupted"_s.arg(x.id));
        store->append({ EngineEvent::Kind::Interrupted, now(), x.incidentId, u"interrupted"_s, {} });
        report.committed(u"event interrupted %1"_s.arg(x.incidentId));
    }
    // Start again at the round the last process was in: its claim, if it made one, must be refused.
    const int first = std::max(1, static_cast<int>(store->incidentTimes().size()));
    for (int n = first; n < first + rounds; ++n) {
        if (runRound(*store, report, fd, n) != 0)
            return 2;
    }
    return 0;
}

// The approval race ------------------------------------------------------------

// Spins (no sleep: a sleep's wake-up is too coarse) until the shared start instant.
void startAt(qint64 nanoseconds)
{
    timespec ts {};
    do {
        clock_gettime(CLOCK_MONOTONIC, &ts);
    } while (qint64(ts.tv_sec) * 1'000'000'000 + ts.tv_nsec < nanoseconds);
}

int race(const QStringList &args)
{
    auto store = openStore(args.value(0));
    const QString name = args.value(1);
    const QString executor = Identity::process(name);
    QTextStream in(stdin);
    QString line;
    while (in.readLineInto(&line)) {
        const QStringList words = line.split(u' ');
        const QString command = words.value(0);
        if (command == u"quit"_s)
            break;
        const QString id = u"Q%1"_s.arg(words.value(1));
        const Proposal p = fixtures::proposal(id, u"INC-"_s + id, fixtures::t0);
        if (words.size() > 2)
            startAt(words.at(2).toLongLong());
        if (command == u"approve"_s || command == u"go"_s) {
            const auto outcome = store->recordApproval(fixtures::approval(p, name, now()));
            if (!outcome.accepted) {
                say(u"refused-approval %1 %2"_s.arg(id, outcome.reason));
                continue;
            }
            if (command == u"approve"_s) {
                say(u"approved %1"_s.arg(id));
                continue;
            }
        }
        const auto claim = store->claimExecution(id, p.plan.fingerprint, executor, name, now());
        if (!claim.granted) {
            say(u"refused %1 %2|%3|%4"_s.arg(id, claim.claimedBy, claim.approvedBy).arg(toMillis(claim.claimedAt)));
            continue;
        }
        StepRecord step = fixtures::step(claim.executionId, u"kill_idle"_s, 1, now());
        step.id = store->recordStepIntent(step);
        step.outcome = StepResult::Succeeded;
        step.finishedAt = now();
        store->recordStepOutcome(step);
        store->finishExecution(claim.executionId, ExecutionOutcome::Resolved, now());
        say(u"executed %1 %2|%3|%4"_s.arg(id, executor, name).arg(toMillis(claim.claimedAt)));
    }
    return 0;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QStringList args = QCoreApplication::arguments().mid(1);
    const QString mode = args.isEmpty() ? QString() : args.takeFirst();
    if (mode == u"crash"_s && args.size() >= 2)
        return crash(args);
    if (mode == u"race"_s && args.size() == 2)
        return race(args);
    std::fprintf(stderr, "usage: storeworker crash DB EFFECTS [--rounds N] [--die-after-cpu-us US] | race DB NAME\n");
    return 2;
}
