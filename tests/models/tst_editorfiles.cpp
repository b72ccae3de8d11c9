#include "engine/runbook/runbookloader.h"
#include "models/editor/diagnosticmodel.h"
#include "models/editor/livevalidation.h"
#include "models/editor/runbookdocument.h"
#include "models/editor/runbookfoldermodel.h"
#include "models/editor/runbooklink.h"
#include "models/editor/runbooktemplates.h"

#include <QAbstractItemModelTester>
#include <QDir>
#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>
#include <cstdio>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

const QByteArray validRunbook = "name: pool\n"
                                "level: 3\n"
                                "trigger:\n"
                                "  alert: db_pool_utilization > 90%\n"
                                "  confidence: high\n"
                                "steps:\n"
                                "  - name: kill_idle\n"
                                "    action: terminate_connections\n"
                                "    params: { state: idle }\n"
                                "    blast_radius: { max_connections: \"15%\" }\n"
                                "  - name: escalate\n"
                                "    action: page_oncall\n"
                                "    condition: kill_idle.failed\n"
                                "drill: { scenario: connection-pool-exhaustion }\n";

void writeFile(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).absolutePath());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    QCOMPARE(f.write(bytes), bytes.size());
}

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

Runbook runbook(const QString &name, const QString &file, const QByteArray &hash)
{
    Runbook r;
    r.name = name;
    r.file = file;
    r.sourceHash = hash;
    return r;
}

} // namespace

// The editor's files: atomic saves, changes made by others, validation as you
// type, the templates, the library tree and the hot-reload rule.
class TestEditorFiles : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void savesAtomicallyAndOnlyReportsOthersChanges()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"pool.yaml"_s);
        writeFile(path, validRunbook);
        RunbookDocument doc;
        QVERIFY(doc.open(path));
        QCOMPARE(doc.diskBytes(), validRunbook);
        QSignalSpy changed(&doc, &RunbookDocument::externallyChanged);

        QVERIFY(doc.save("name: mine\n"));
        QCOMPARE(readFile(path), QByteArray("name: mine\n"));
        QVERIFY(!QTest::qWaitFor([&] { return changed.size() > 0; }, 300)); // our own write is not news

        writeFile(path, "name: theirs\n");
        QTRY_COMPARE(changed.size(), 1);
        QCOMPARE(doc.diskBytes(), QByteArray("name: theirs\n"));

        // A rename over the file (how editors and git write) is noticed too, and the watch survives it.
        writeFile(dir.filePath(u"tmp.yaml"_s), "name: renamed\n");
        QCOMPARE(std::rename(qPrintable(dir.filePath(u"tmp.yaml"_s)), qPrintable(path)), 0);
        QTRY_COMPARE(changed.size(), 2);
        QCOMPARE(doc.diskBytes(), QByteArray("name: renamed\n"));
        writeFile(path, "name: again\n");
        QTRY_COMPARE(changed.size(), 3);
    }

    void reportsARemovedFile()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"pool.yaml"_s);
        writeFile(path, validRunbook);
        RunbookDocument doc;
        QVERIFY(doc.open(path));
        QSignalSpy removed(&doc, &RunbookDocument::externallyRemoved);
        QVERIFY(QFile::remove(path));
        QTRY_COMPARE(removed.size(), 1);
        QVERIFY(doc.save(validRunbook)); // saving writes it back
        QCOMPARE(readFile(path), validRunbook);
    }

    void refusesWhatItCannotWrite()
    {
        QTemporaryDir dir;
        RunbookDocument doc;
        doc.openUntitled();
        QVERIFY(!doc.save("x"));
        QVERIFY(doc.errorString().contains(u"no file yet"_s));
        QVERIFY(!doc.open(dir.filePath(u"missing.yaml"_s)));
        QVERIFY(doc.errorString().contains(u"cannot read"_s));
        // A folder that does not exist: nothing is half-written, and the error says where.
        const QString path = dir.filePath(u"no/such/folder/pool.yaml"_s);
        QVERIFY(!doc.save("name: x\n", path));
        QVERIFY2(doc.errorString().contains(u"cannot write"_s) && doc.errorString().contains(u"pool.yaml"_s),
            qPrintable(doc.errorString()));
        QVERIFY(!QFile::exists(path));
        QVERIFY(doc.isUntitled());
        // A file too large to be a runbook is refused unread.
        const QString huge = dir.filePath(u"huge.yaml"_s);
        writeFile(huge, QByteArray(maxRunbookBytes + 1, '#'));
        QVERIFY(!doc.open(huge));
        QVERIFY2(doc.errorString().contains(u"at most"_s), qPrintable(doc.errorString()));
    }

    void validatesOnceTypingPauses()
    {
        LiveValidation v;
        v.setDelay(50);
        QSignalSpy validated(&v, &LiveValidation::validated);
        v.schedule(u"name: x\n"_s);
        v.schedule(u"name: x\nlevel: 9\n"_s);
        v.schedule(QString::fromUtf8(validRunbook));
        QVERIFY(v.isPending());
        QTRY_COMPARE(validated.size(), 1); // three changes, one validation
        QVERIFY(v.result().runbook);
        v.schedule(QString::fromUtf8(validRunbook).replace(u"terminate_connections"_s, u"terminate_connection"_s));
        QTRY_COMPARE(validated.size(), 2);
        QVERIFY(!v.result().runbook);
        // The same verdict as the loader antibodyctl lint runs.
        const LoadResult lint = loadRunbookText(
            QString::fromUtf8(validRunbook).replace(u"terminate_connections"_s, u"terminate_connection"_s).toUtf8(),
            v.fileName());
        QCOMPARE(v.result().diagnostics.size(), lint.diagnostics.size());
        QCOMPARE(v.result().diagnostics.front().toString(), lint.diagnostics.front().toString());
        // An answer about an older text never lands: validateNow wins over a running validation.
        v.schedule(u"name: older\nlevel: 9\n"_s);
        QTest::qWait(0);
        const LoadResult &now = v.validateNow(QString::fromUtf8(validRunbook));
        QVERIFY(now.runbook);
        QVERIFY(!QTest::qWaitFor([&] { return !v.result().runbook; }, 300));
        QCOMPARE(validated.size(), 3);
    }

    void listsErrorsFirst()
    {
        DiagnosticModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        Diagnostic warning { u"f"_s, 2, 1, Diagnostic::Severity::Warning, u"w"_s, u"a warning"_s, {} };
        Diagnostic late { u"f"_s, 9, 3, Diagnostic::Severity::Error, u"e"_s, u"late error"_s, u"fix it"_s };
        Diagnostic early { u"f"_s, 4, 7, Diagnostic::Severity::Error, u"e"_s, u"early error"_s, {} };
        model.setDiagnostics({ warning, late, early });
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0).data().toString(), u"4:7  early error"_s);
        QCOMPARE(model.index(1).data(DiagnosticModel::LineRole).toInt(), 9);
        QCOMPARE(model.index(1).data().toString(), u"9:3  late error\n      fix it"_s);
        QVERIFY(model.index(1).data(Qt::ToolTipRole).toString().contains(u"fix it"_s));
        QCOMPARE(model.index(2).data(DiagnosticModel::SeverityRole).toInt(), int(Diagnostic::Severity::Warning));
        QCOMPARE(model.summary(), u"2 errors, 1 warning"_s);
        model.setDiagnostics({});
        QCOMPARE(model.summary(), u"valid"_s);
    }

    void everyTemplateValidates()
    {
        QStringList families;
        for (const ActionSpec &a : ActionCatalog::instance().actions()) {
            if (a.mutates() && a.tier != Tier::Never && !families.contains(a.family))
                families << a.family;
        }
        const QList<RunbookTemplate> templates = RunbookTemplates::all();
        for (const QString &family : std::as_const(families)) {
            const bool covered = std::any_of(
                templates.begin(), templates.end(), [&](const RunbookTemplate &t) { return t.family == family; });
            QVERIFY2(covered, qPrintable(u"no template for the %1 family"_s.arg(family)));
        }
        for (const RunbookTemplate &t : templates) {
            const QString text = RunbookTemplates::instantiate(t, u"my-runbook"_s);
            const LoadResult r = loadRunbookText(text.toUtf8(), t.family + u".yaml"_s);
            QStringList problems;
            for (const Diagnostic &d : r.diagnostics)
                problems << d.toString();
            QVERIFY2(r.diagnostics.isEmpty(), qPrintable(t.title + u":\n"_s + problems.join(u'\n')));
            QCOMPARE(r.runbook->name, u"my-runbook"_s);
            QVERIFY(r.runbook->step(t.action) || t.family == u"paging"_s);
        }
    }

    void showsTheLibraryAsATree()
    {
        QTemporaryDir dir;
        writeFile(dir.filePath(u"database/pool.yaml"_s), validRunbook);
        writeFile(dir.filePath(u"database/broken.yaml"_s),
            QByteArray(validRunbook).replace("name: pool", "name: broken").replace("level: 3", "level: 9"));
        writeFile(dir.filePath(u"top.yml"_s),
            QByteArray(validRunbook).replace("name: pool", "name: top").replace("level: 3", "level: 1"));
        writeFile(dir.filePath(u"notes.txt"_s), "not a runbook");
        RunbookFolderModel model;
        QAbstractItemModelTester tester(&model, QAbstractItemModelTester::FailureReportingMode::QtTest);
        const TimePoint now = fromMillis(1'780'000'000'000);
        model.setNow(now);
        model.setRoot(dir.path());
        QCOMPARE(model.rowCount(), 2); // database/, top.yml
        const QModelIndex folder = model.index(0, 0);
        QCOMPARE(folder.data().toString(), u"database"_s);
        QVERIFY(folder.data(RunbookFolderModel::IsFolderRole).toBool());
        QCOMPARE(model.rowCount(folder), 2);
        const QModelIndex broken = model.index(0, 0, folder);
        QCOMPARE(broken.data().toString(), u"broken.yaml"_s);
        QCOMPARE(model.index(0, RunbookFolderModel::LevelColumn, folder).data().toString(), u"invalid"_s);
        QVERIFY(broken.data(Qt::ToolTipRole).toString().contains(u"out-of-range"_s));
        const QModelIndex pool = model.index(1, 0, folder);
        QCOMPARE(pool.data(RunbookFolderModel::RunbookNameRole).toString(), u"pool"_s);
        QCOMPARE(model.index(1, RunbookFolderModel::LevelColumn, folder).data().toString(), u"3"_s);
        QCOMPARE(model.index(1, RunbookFolderModel::DrillColumn, folder).data().toString(), u"⚠ never drilled"_s);
        QVERIFY(pool.data(RunbookFolderModel::FlaggedRole).toBool());
        QCOMPARE(model.indexOfFile(dir.filePath(u"database/pool.yaml"_s)), pool);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setDrillHistory(
            { DrillResult { u"pool"_s, u"s"_s, true, u"resolved"_s, std::nullopt, now - std::chrono::days(2), u"ok"_s },
                DrillResult {
                    u"top"_s, u"s"_s, true, u"resolved"_s, std::nullopt, now - std::chrono::days(45), u"ok"_s } });
        QVERIFY(!changed.isEmpty());
        QCOMPARE(model.index(1, RunbookFolderModel::DrillColumn, folder).data().toString(), u"passed 2 days ago"_s);
        QVERIFY(!pool.data(RunbookFolderModel::FlaggedRole).toBool());
        QVERIFY2(pool.data(Qt::ToolTipRole).toString().contains(u"last drill: passed on 2026-05-26 "_s),
            qPrintable(pool.data(Qt::ToolTipRole).toString()));
        const QModelIndex top = model.index(1, RunbookFolderModel::DrillColumn);
        QCOMPARE(top.data().toString(), u"⚠ passed 45 days ago"_s);
        QVERIFY(top.data(Qt::ToolTipRole).toString().contains(u"drills are due monthly"_s));
        // An older result never replaces a newer one.
        model.setDrillHistory({ DrillResult {
            u"pool"_s, u"s"_s, false, u"escalated"_s, std::nullopt, now - std::chrono::days(9), u"x"_s } });
        QCOMPARE(model.index(1, RunbookFolderModel::DrillColumn, folder).data().toString(), u"passed 2 days ago"_s);
        QCOMPARE(model.runbookNames(), (QStringList { u"pool"_s, u"top"_s }));
    }

    void hotReloadReplacesByFileThenName()
    {
        QList<Runbook> live { runbook(u"a"_s, u"/r/a.yaml"_s, "1"), runbook(u"b"_s, u"/r/b.yaml"_s, "2") };
        QByteArray before;
        // Renamed in its own file: replaces that file's runbook.
        QCOMPARE(RunbookLink::replaceIn(live, runbook(u"a2"_s, u"/r/a.yaml"_s, "3"), &before), QString());
        QCOMPARE(before, QByteArray("1"));
        QCOMPARE(live.at(0).name, u"a2"_s);
        // A new file: added.
        before.clear();
        QCOMPARE(RunbookLink::replaceIn(live, runbook(u"c"_s, u"/r/c.yaml"_s, "4"), &before), QString());
        QVERIFY(before.isEmpty());
        QCOMPARE(live.size(), 3);
        // Taking another file's name: refused, nothing changes.
        const QList<Runbook> kept = live;
        const QString refusal = RunbookLink::replaceIn(live, runbook(u"b"_s, u"/r/c.yaml"_s, "5"), &before);
        QVERIFY2(refusal.contains(u"/r/b.yaml already has the name b"_s), qPrintable(refusal));
        QCOMPARE(live.size(), kept.size());
        QCOMPARE(live.at(2).sourceHash, QByteArray("4"));
    }
};

QTEST_GUILESS_MAIN(TestEditorFiles)
#include "tst_editorfiles.moc"
