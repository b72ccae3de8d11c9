// The SQLite store: how many audit appends per second it takes, batched and with
// one durable commit per decision, and how fast the whole trail verifies.
#include "bench/benchmark.h"
#include "engine/store/auditverifier.h"
#include "engine/store/readonlystore.h"
#include "engine/store/sqlitestore.h"

#include <QElapsedTimer>
#include <QTemporaryDir>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

EngineEvent event(EngineEvent::Kind kind, int i)
{
    return { kind, fromMillis(1'780'000'000'000 + i), u"INC-%1"_s.arg(i / 20),
        u"kill_idle pass %1: pid 4711, pid 4712"_s.arg(i),
        QJsonObject { { u"step"_s, u"kill_idle"_s }, { u"pass"_s, i }, { u"targets"_s, u"pid 4711, pid 4712"_s } } };
}

double appendsPerSecond(SqliteStore &store, EngineEvent::Kind kind, int count)
{
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < count; ++i)
        store.append(event(kind, i));
    store.flush();
    return count / (static_cast<double>(t.nsecsElapsed()) / 1e9);
}

} // namespace

ANTIBODY_BENCHMARK(store_audit)
{
    QTemporaryDir dir;
    QString error;
    auto store = SqliteStore::open(dir.filePath(u"antibody.db"_s), &error);
    if (!store) {
        bench::report(u"store_open_failed"_s, 1, error);
        return;
    }
    // Decisions (approved, step_started...) commit one by one, each synchronous=FULL.
    bench::report(u"store_audit_append_durable"_s,
        appendsPerSecond(*store, EngineEvent::Kind::StepStarted, bench::scaled(300)), u"appends/s"_s);
    // Informational events (state changes, feeds) are queued and committed in batches.
    bench::report(u"store_audit_append_batched"_s,
        appendsPerSecond(*store, EngineEvent::Kind::StateChanged, bench::scaled(20'000)), u"appends/s"_s);
    store.reset();

    auto reader = ReadOnlyStore::openFile(dir.filePath(u"antibody.db"_s), &error);
    QElapsedTimer t;
    t.start();
    const auto report = AuditVerifier::verify(reader->database());
    const double seconds = static_cast<double>(t.nsecsElapsed()) / 1e9;
    bench::report(u"store_audit_verify"_s, static_cast<double>(report.rows) / seconds, u"rows/s"_s);
    if (!report.intact())
        bench::report(u"store_audit_verify_problems"_s, static_cast<double>(report.problems.size()), u"problems"_s);
}
