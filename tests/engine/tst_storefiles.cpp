// Hostile files and folders: whatever is at the data folder, the store either opens
// it or says which file is wrong and what to do, and never crashes.
#include "engine/store/auditverifier.h"
#include "engine/store/datadirectory.h"
#include "engine/store/schema.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/sqlitestore.h"
#include "engine/store/storeerror.h"
#include "storefixtures.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <functional>
#include <grp.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

using namespace Qt::StringLiterals;
using namespace antibody;
using fixtures::at;
using fixtures::t0;

namespace {

// Permission checks do not apply to root: run `check` as an unprivileged user in a
// child process when the suite runs as root, directly otherwise.
QString unprivileged(const std::function<QString()> &check)
{
    if (geteuid() != 0)
        return check();
    int fds[2];
    if (pipe(fds) != 0)
        return u"pipe failed"_s;
    const pid_t pid = fork();
    if (pid == 0) {
        close(fds[0]);
        const gid_t nogroup = 65534;
        QString result;
        if (setgroups(1, &nogroup) != 0 || setgid(nogroup) != 0 || setuid(65534) != 0)
            result = u"could not drop privileges"_s;
        else
            result = check();
        const QByteArray bytes = result.toUtf8();
        const ssize_t written = write(fds[1], bytes.constData(), static_cast<size_t>(bytes.size()));
        _exit(written == bytes.size() ? 0 : 1);
    }
    close(fds[1]);
    QByteArray out;
    char buffer[4096];
    ssize_t n;
    while ((n = read(fds[0], buffer, sizeof buffer)) > 0)
        out.append(buffer, n);
    close(fds[0]);
    int status = 0;
    waitpid(pid, &status, 0);
    return QString::fromUtf8(out);
}

QString openError(const QString &file, Duration busyTimeout = Duration { 5000 })
{
    QString error;
    auto store = SqliteStore::open(file, SqliteStore::Options { busyTimeout, true, 256 }, &error);
    return store ? QString() : error;
}

void writeFile(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(bytes);
}

} // namespace

class TestStoreFiles : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;

    QString fresh()
    {
        const QString dir = m_dir.filePath(QString::number(++m_n));
        QDir().mkpath(dir);
        QFile::setPermissions(m_dir.path(),
            QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther
                | QFile::ReadGroup | QFile::ExeGroup);
        QFile::setPermissions(dir, QFile::permissions(m_dir.path()) | QFile::WriteOther | QFile::WriteGroup);
        return dir;
    }

    QString populated()
    {
        const QString file = fresh() + u"/antibody.db"_s;
        QString error;
        auto store = SqliteStore::open(file, &error);
        for (int i = 0; i < 40; ++i) {
            const QString id = u"INC-%1"_s.arg(i);
            Incident incident = fixtures::incident(id, t0);
            incident.diagnostics = QJsonObject { { u"filler"_s, QString(400, u'x') } };
            store->saveIncident(incident);
            store->append({ EngineEvent::Kind::Escalated, t0, id, u"escalated"_s, {} });
        }
        return file;
    }

    static AuditVerifier::Report verified(const QString &file)
    {
        SqliteDatabase db(file, SqliteDatabase::Access::ReadOnly, Duration { 1000 });
        return AuditVerifier::verify(db);
    }

    static QStringList warningsOfOpening(const QString &file)
    {
        QString error;
        auto store = SqliteStore::open(file, &error);
        if (!store)
            return { u"not opened: "_s + error };
        return store->startWarnings();
    }

private Q_SLOTS:
    // Review finding 7: a deleted database gave a fresh, valid chain with no warning.
    // The anchor beside it remembers how far the chain went.
    void aDeletedAndRecreatedDatabaseSaysTheChainRestarted()
    {
        const QString file = populated();
        QVERIFY(QFile::exists(file + u"-anchor"_s));
        QCOMPARE(QFile::permissions(file + u"-anchor"_s) & 0x0077, QFile::Permissions {});
        QCOMPARE(QFile::permissions(file + u"-anchor.key"_s) & 0x0077, QFile::Permissions {});
        const qint64 reached = verified(file).headSeq;
        QCOMPARE(verified(file).anchoredSeq, reached);
        for (const QString &suffix : { u""_s, u"-wal"_s, u"-shm"_s })
            QFile::remove(file + suffix);

        const QStringList warnings = warningsOfOpening(file);
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(warnings[0].contains(u"the anchor says the chain reached row %1"_s.arg(reached))
                && warnings[0].contains(u"the database was replaced"_s)
                && warnings[0].contains(u"Recorded as audit row 1"_s),
            qPrintable(warnings[0]));
        const auto report = verified(file);
        QVERIFY2(report.intact(), qPrintable(report.problems.value(0).what));
        QCOMPARE(report.anchoredSeq, report.headSeq);
        QVERIFY(warningsOfOpening(file).isEmpty()); // said once, recorded in the chain for good
    }

    void aTamperedAnchorOrKeyIsNamedAndLeftAsEvidence_data()
    {
        QTest::addColumn<QString>("damage");
        QTest::addColumn<QString>("says");
        QTest::addRow("anchor edited") << u"edit"_s << u"does not match its seal"_s;
        QTest::addRow("key deleted") << u"nokey"_s << u"its key"_s;
        QTest::addRow("anchor garbage") << u"garbage"_s << u"cannot be read"_s;
        QTest::addRow("anchor a FIFO") << u"fifo"_s << u"cannot be read"_s;
        QTest::addRow("anchor huge") << u"huge"_s << u"cannot be read"_s;
    }

    void aTamperedAnchorOrKeyIsNamedAndLeftAsEvidence()
    {
        QFETCH(QString, damage);
        QFETCH(QString, says);
        const QString file = populated();
        const QString anchor = file + u"-anchor"_s;
        QFile f(anchor);
        QVERIFY(f.open(QIODevice::ReadOnly));
        const QByteArray before = f.readAll();
        f.close();
        if (damage == u"edit"_s) {
            QByteArray edited = before;
            edited.replace("\"seq\":", "\"seq\":1");
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(edited) == edited.size());
        } else if (damage == u"nokey"_s) {
            QVERIFY(QFile::remove(file + u"-anchor.key"_s));
        } else if (damage == u"garbage"_s) {
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write("{\"seq\": \"lots\"") > 0);
        } else if (damage == u"fifo"_s) {
            QVERIFY(QFile::remove(anchor));
            QCOMPARE(::mkfifo(QFile::encodeName(anchor).constData(), 0600), 0);
        } else {
            QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
            f.write(QByteArray(8 << 20, '{'));
        }
        f.close();

        const QStringList warnings = warningsOfOpening(file);
        QCOMPARE(warnings.size(), 1);
        QVERIFY2(
            warnings[0].startsWith(u"audit: the anchor "_s) && warnings[0].contains(says), qPrintable(warnings[0]));
        const auto report = verified(file);
        QVERIFY(!report.intact());
        QCOMPARE(report.problems.front().where, u"the anchor"_s);
        QVERIFY2(report.problems.front().what.contains(says), qPrintable(report.problems.front().what));
        if (damage == u"edit"_s || damage == u"garbage"_s) { // left as found
            QVERIFY(f.open(QIODevice::ReadOnly));
            QVERIFY(f.readAll() != before);
        }
    }

    // Review finding 25: incidents, diagnostics and the audit trail are for the user who
    // runs Antibody: a folder it creates is 0700, the database and its WAL 0600.
    void onlyTheOwnerMayReadTheStore()
    {
        QTemporaryDir tmp;
        QVERIFY(tmp.isValid());
        const QString folder = tmp.filePath(u"fresh/antibody"_s);
        const DataDirectory dir = DataDirectory::resolve(folder, DataDirectory::Use::ReadWrite);
        QVERIFY2(dir.ok(), qPrintable(dir.error()));
        const auto ownerOnly = QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner;
        const auto others = QFile::ReadGroup | QFile::WriteGroup | QFile::ExeGroup | QFile::ReadOther
            | QFile::WriteOther | QFile::ExeOther;
        QCOMPARE(QFile::permissions(folder) & (ownerOnly | others), ownerOnly);
        QString error;
        auto store = SqliteStore::open(dir.databaseFile(), &error);
        QVERIFY2(store, qPrintable(error));
        store->saveCooldown(Cooldown { u"service/x"_s, fromMillis(1000), u"test"_s });
        for (const QString &file : { dir.databaseFile(), dir.databaseFile() + u"-wal"_s }) {
            QVERIFY2(QFile::exists(file), qPrintable(file));
            QCOMPARE(QFile::permissions(file) & others, QFileDevice::Permissions());
        }
    }

    void networkFilesystemsAreNamed_data()
    {
        QTest::addColumn<qint64>("magic");
        QTest::addColumn<QString>("name");
        QTest::addRow("nfs") << qint64(0x6969) << u"NFS"_s;
        QTest::addRow("cifs") << qint64(0xFF534D42) << u"SMB/CIFS"_s;
        QTest::addRow("smb2") << qint64(0xFE534D42) << u"SMB/CIFS"_s;
        QTest::addRow("smb") << qint64(0x517B) << u"SMB/CIFS"_s;
        QTest::addRow("ext4") << qint64(0xEF53) << QString();
        QTest::addRow("tmpfs") << qint64(0x01021994) << QString();
    }

    void networkFilesystemsAreNamed()
    {
        QFETCH(qint64, magic);
        QFETCH(QString, name);
        QCOMPARE(DataDirectory::networkFilesystem(static_cast<quint64>(magic)), name);
    }

    void filesThatAreNotOurDatabase_data()
    {
        QTest::addColumn<QByteArray>("content");
        QTest::addColumn<QString>("expected");
        QTest::addRow("random bytes") << QByteArray(8192, '\x5a') << u"not an Antibody database"_s;
        QTest::addRow("a runbook saved over it")
            << QByteArray("name: connection-pool-exhaustion\nlevel: 3\n") << u"not an Antibody database"_s;
        QByteArray header("SQLite format 3");
        header.append('\0');
        header.append(QByteArray(4080, '\xff'));
        QTest::addRow("an SQLite header over garbage") << header << u"SQLite code"_s;
    }

    void filesThatAreNotOurDatabase()
    {
        QFETCH(QByteArray, content);
        QFETCH(QString, expected);
        const QString file = fresh() + u"/antibody.db"_s;
        writeFile(file, content);
        const QString error = openError(file);
        QVERIFY2(error.startsWith(file), qPrintable(error));
        QVERIFY2(error.contains(expected), qPrintable(error));
        QVERIFY2(error.contains(u"move it aside"_s) || error.contains(u"--data-dir"_s), qPrintable(error));
    }

    void anEmptyFileBecomesADatabase()
    {
        const QString file = fresh() + u"/antibody.db"_s;
        writeFile(file, {});
        QVERIFY2(openError(file).isEmpty(), qPrintable(openError(file)));
    }

    void aTruncatedDatabaseIsRefusedByName_data()
    {
        QTest::addColumn<double>("keep");
        QTest::addRow("90%%") << 0.9;
        QTest::addRow("half") << 0.5;
        QTest::addRow("one page and a bit") << 0.05;
    }

    void aTruncatedDatabaseIsRefusedByName()
    {
        QFETCH(double, keep);
        const QString file = populated();
        QFile f(file);
        QVERIFY(f.size() > 40'000);
        QVERIFY(f.resize(static_cast<qint64>(static_cast<double>(f.size()) * keep)));
        const QString error = openError(file);
        QVERIFY2(error.startsWith(file), qPrintable(error));
        QVERIFY2(error.contains(u"damaged"_s), qPrintable(error));
        // Reading what is left does not crash either: verify reports or refuses, by name.
        try {
            SqliteDatabase db(file, SqliteDatabase::Access::ReadOnly, Duration { 1000 });
            Schema::checkReadable(db);
            const auto report = AuditVerifier::verify(db);
            QVERIFY(!report.intact());
        } catch (const StoreError &e) {
            QVERIFY2(e.message().startsWith(file), qPrintable(e.message()));
        }
    }

    void aDatabaseOfSomethingElseIsRefused()
    {
        const QString file = fresh() + u"/antibody.db"_s;
        {
            SqliteDatabase db(file, SqliteDatabase::Access::ReadWrite, Duration { 1000 });
            db.exec(u"CREATE TABLE moz_places (id INTEGER PRIMARY KEY, url TEXT)"_s);
        }
        const QString error = openError(file);
        QVERIFY2(error.contains(u"SQLite database of something else"_s), qPrintable(error));
        QVERIFY2(error.contains(u"moz_places"_s), qPrintable(error));
    }

    void aNewerSchemaIsRefused()
    {
        const QString file = fresh() + u"/antibody.db"_s;
        QVERIFY(openError(file).isEmpty());
        {
            SqliteDatabase db(file, SqliteDatabase::Access::ReadWrite, Duration { 1000 });
            db.exec(u"INSERT INTO schema_version VALUES (%1, 'from the future', '2031-01-01')"_s.arg(
                Schema::latestVersion() + 6));
        }
        const QString error = openError(file);
        QVERIFY2(error.startsWith(file), qPrintable(error));
        QVERIFY2(
            error.contains(u"newer Antibody (schema version %1"_s.arg(Schema::latestVersion() + 6)), qPrintable(error));
        QVERIFY2(error.contains(u"upgrade Antibody"_s), qPrintable(error));
        SqliteDatabase db(file, SqliteDatabase::Access::ReadOnly, Duration { 1000 });
        QVERIFY_THROWS_EXCEPTION(StoreError, Schema::checkReadable(db));
    }

    void migrationsRunOnce()
    {
        const QString file = fresh() + u"/antibody.db"_s;
        QVERIFY(openError(file).isEmpty());
        QVERIFY(openError(file).isEmpty());
        SqliteDatabase db(file, SqliteDatabase::Access::ReadOnly, Duration { 1000 });
        auto q = db.prepare(u"SELECT count(*), max(version) FROM schema_version"_s);
        QVERIFY(q.step());
        QCOMPARE(q.integer(0), Schema::latestVersion());
        QCOMPARE(q.integer(1), Schema::latestVersion());
        auto mode = db.prepare(u"PRAGMA journal_mode"_s);
        QVERIFY(mode.step());
        QCOMPARE(mode.text(0), u"wal"_s);
    }

    void aLockedDatabaseIsNamed()
    {
        const QString file = fresh() + u"/antibody.db"_s;
        QVERIFY(openError(file).isEmpty());
        SqliteDatabase holder(file, SqliteDatabase::Access::ReadWrite, Duration { 1000 });
        holder.exec(u"BEGIN IMMEDIATE; INSERT INTO cooldowns VALUES ('x', 0, 'held')"_s);
        const QString error = openError(file, Duration { 100 });
        QVERIFY2(error.startsWith(file), qPrintable(error));
        QVERIFY2(error.contains(u"locked"_s), qPrintable(error));
        QVERIFY2(error.contains(u"close the other antibody or antibodyctl"_s), qPrintable(error));
        holder.exec(u"ROLLBACK"_s);
    }

    // A store that is already open and then cannot write refuses decisions instead of pretending.
    void aLockHeldTooLongRefusesDecisions()
    {
        const QString file = fresh() + u"/antibody.db"_s;
        QString error;
        auto store = SqliteStore::open(file, SqliteStore::Options { Duration { 100 }, true, 256 }, &error);
        QVERIFY(store);
        QStringList failures;
        store->setFailureHandler([&](const QString &m) { failures << m; });
        store->saveIncident(fixtures::incident(u"INC-1"_s, t0));
        Proposal p = fixtures::proposal(u"P1"_s, u"INC-1"_s, t0);
        p.decision.mode = Mode::Auto;
        store->saveProposal(p);
        store->flush();
        SqliteDatabase holder(file, SqliteDatabase::Access::ReadWrite, Duration { 1000 });
        holder.exec(u"BEGIN IMMEDIATE; INSERT INTO cooldowns VALUES ('x', 0, 'held')"_s);
        const auto claim = store->claimExecution(p.id, p.plan.fingerprint, u"me"_s, {}, t0);
        QVERIFY(!claim.granted);
        QVERIFY2(claim.reason.contains(u"nothing was executed"_s), qPrintable(claim.reason));
        QCOMPARE(failures.size(), 1);
        QVERIFY2(failures[0].contains(file) && failures[0].contains(u"locked"_s), qPrintable(failures[0]));
        holder.exec(u"ROLLBACK"_s);
        QVERIFY(store->claimExecution(p.id, p.plan.fingerprint, u"me"_s, {}, t0).granted);
    }

    void aReadOnlyFolderIsNamed()
    {
        const QString dir = fresh();
        QVERIFY(QFile::setPermissions(dir, QFile::ReadOwner | QFile::ExeOwner | QFile::ReadOther | QFile::ExeOther));
        const QString result = unprivileged([&] {
            const auto resolved = DataDirectory::resolve(dir, DataDirectory::Use::ReadWrite);
            return resolved.error() + u'\n' + openError(dir + u"/antibody.db"_s);
        });
        const QStringList lines = result.split(u'\n');
        QCOMPARE(lines.size(), 2);
        QVERIFY2(
            lines[0].contains(u"cannot write in the data folder given with --data-dir "_s + dir), qPrintable(lines[0]));
        QVERIFY2(lines[1].startsWith(dir + u"/antibody.db"_s), qPrintable(lines[1]));
        QVERIFY2(lines[1].contains(u"--data-dir"_s), qPrintable(lines[1]));
    }

    void aReadOnlyDatabaseFileIsNamed()
    {
        const QString file = populated();
        QVERIFY(QFile::setPermissions(file, QFile::ReadOwner | QFile::ReadOther | QFile::ReadGroup));
        const QString error = unprivileged([&] { return openError(file); });
        QVERIFY2(error.startsWith(file), qPrintable(error));
        QVERIFY2(error.contains(u"read-only"_s) || error.contains(u"not writable"_s), qPrintable(error));
    }

    void dataDirectories_data()
    {
        QTest::addColumn<QString>("requested");
        QTest::addColumn<bool>("readOnly");
        QTest::addColumn<QString>("error");
        QTest::addRow("created when missing") << u"new/nested/folder"_s << false << QString();
        QTest::addRow("a file, not a folder") << u"plain-file"_s << false << u"is a file, not a folder"_s;
        QTest::addRow("under a file") << u"plain-file/sub"_s << false << u"cannot create"_s;
        QTest::addRow("reading a missing folder") << u"absent"_s << true << u"does not exist"_s;
        QTest::addRow("reading a folder without a database") << u"."_s << true << u"holds no database (antibody.db)"_s;
        QTest::addRow("under /proc") << u"/proc/antibody"_s << false << u"cannot create"_s;
    }

    void dataDirectories()
    {
        QFETCH(QString, requested);
        QFETCH(bool, readOnly);
        QFETCH(QString, error);
        const QString base = fresh();
        writeFile(base + u"/plain-file"_s, "x");
        const QString path = requested.startsWith(u'/') ? requested : base + u'/' + requested;
        const auto d
            = DataDirectory::resolve(path, readOnly ? DataDirectory::Use::ReadOnly : DataDirectory::Use::ReadWrite);
        if (error.isEmpty()) {
            QVERIFY2(d.ok(), qPrintable(d.error()));
            QVERIFY(QFileInfo(d.path()).isDir());
            QCOMPARE(d.databaseFile(), QDir::cleanPath(path) + u"/antibody.db"_s);
        } else {
            QVERIFY2(d.error().contains(error), qPrintable(d.error()));
            QVERIFY2(d.error().contains(QDir::cleanPath(path)), qPrintable(d.error()));
        }
    }

    void theDefaultFolderIsSharedByBothApps()
    {
        qputenv("XDG_DATA_HOME", m_dir.filePath(u"xdg"_s).toUtf8());
        QCOMPARE(DataDirectory::defaultPath(), m_dir.filePath(u"xdg"_s) + u"/antibody"_s);
        const auto d = DataDirectory::resolve({}, DataDirectory::Use::ReadWrite);
        QVERIFY2(d.ok(), qPrintable(d.error()));
        QCOMPARE(d.path(), m_dir.filePath(u"xdg/antibody"_s));
    }
};

QTEST_GUILESS_MAIN(TestStoreFiles)
#include "tst_storefiles.moc"
