// `antibodyctl simulate --data-dir` run again on one folder, as a person drilling a
// runbook does: every run keeps its own incidents, executions and history. The
// reliability review's finding #4: ids were 24 bits of sha1(fingerprint | now), and a
// scenario starts at the same virtual instant each run, so the second run drew the
// first one's id and its upsert overwrote the first incident.
#include "engine/store/auditverifier.h"
#include "engine/store/readonlystore.h"
#include "tests/support/clirun.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using antibody::cli::antibodyctl;
using antibody::cli::Run;

namespace {

// What one incident looks like in the file: enough to tell it was not rewritten.
struct StoredIncident
{
    QString state;
    qint64 detectedAt = 0;
    qint64 transitions = 0;
    qint64 executions = 0;
    bool operator==(const StoredIncident &) const = default;
};

QHash<QString, StoredIncident> incidentsIn(const QString &dataDir)
{
    QString error;
    auto store = ReadOnlyStore::openFile(dataDir + u"/antibody.db"_s, &error);
    if (!store)
        qFatal("%s", qUtf8Printable(error));
    auto q = store->database().prepare(
        u"SELECT i.id, i.state, i.detected_at, (SELECT count(*) FROM transitions t WHERE t.incident_id = i.id), "
        "(SELECT count(*) FROM executions x WHERE x.incident_id = i.id) FROM incidents i"_s);
    QHash<QString, StoredIncident> out;
    while (q.step())
        out.insert(q.text(0), { q.text(1), q.integer(2), q.integer(3), q.integer(4) });
    return out;
}

int pooled(const QString &dataDir)
{
    QString error;
    auto store = ReadOnlyStore::openFile(dataDir + u"/antibody.db"_s, &error);
    auto q
        = store->database().prepare(u"SELECT count(*) FROM incidents WHERE runbook = 'connection-pool-exhaustion'"_s);
    return q.step() ? static_cast<int>(q.integer(0)) : -1;
}

} // namespace

class TestSimulateDataDir : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void simulateTwiceOnOneFolderKeepsBothRuns()
    {
        const QString dir = m_dir.filePath(u"twice"_s);
        const QStringList args { u"simulate"_s, u"--scenario"_s, u"connection-pool-exhaustion"_s, u"--data-dir"_s,
            dir };
        const Run first = antibodyctl(args);
        QVERIFY2(first.exitCode == 0, qPrintable(first.err));
        const auto afterFirst = incidentsIn(dir);
        QVERIFY(!afterFirst.isEmpty());

        const Run second = antibodyctl(args);
        QVERIFY2(second.exitCode == 0, qPrintable(second.err));
        const auto afterSecond = incidentsIn(dir);

        // The first run's incidents are all there, exactly as it left them...
        for (auto it = afterFirst.constBegin(); it != afterFirst.constEnd(); ++it) {
            QVERIFY2(afterSecond.contains(it.key()), qPrintable(it.key()));
            QVERIFY2(afterSecond.value(it.key()) == it.value(),
                qPrintable(u"%1 was rewritten by the second run: %2 → %3"_s.arg(
                    it.key(), it.value().state, afterSecond.value(it.key()).state)));
        }
        // ...and the second run opened its own beside them (it waits out the first run's
        // cooldown, so it may open more than the first did).
        QVERIFY(afterSecond.size() > afterFirst.size());
        QCOMPARE(pooled(dir), 2);
        const Run verify = antibodyctl({ u"audit"_s, u"verify"_s, u"--data-dir"_s, dir });
        QVERIFY2(verify.exitCode == 0, qPrintable(verify.out + verify.err));
    }
};

QTEST_GUILESS_MAIN(TestSimulateDataDir)
#include "tst_simulatedatadir.moc"
