// antibodyctl dry-run and drill as a user and CI run them: exit codes 0/1/2, what the
// text says, and the JSON shape other tools read.
#include "tests/support/clirun.h"

#include <QDir>
#include <QHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using antibody::cli::antibodyctl;
using antibody::cli::Run;
using antibody::cli::sourcePath;

namespace {

QString shipped(const QString &name)
{
    return sourcePath(u"runbooks/"_s + name + u".yaml"_s);
}

QString write(const QTemporaryDir &dir, const QString &name, const QByteArray &bytes)
{
    const QString path = dir.filePath(name);
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly) || f.write(bytes) != bytes.size())
        qFatal("cannot write %s", qPrintable(path));
    return path;
}

// The seed's runbook, promising the wrong outcome: its drill must fail.
QByteArray promisesEscalation()
{
    QFile f(shipped(u"connection-pool-exhaustion"_s));
    if (!f.open(QIODevice::ReadOnly))
        qFatal("no shipped runbook");
    return f.readAll()
        .replace("name: connection-pool-exhaustion", "name: wrong-promise")
        .replace("expect: resolved", "expect: escalated");
}

QJsonValue parse(const QString &json)
{
    QJsonParseError error;
    const QJsonDocument doc = QJsonDocument::fromJson(json.toUtf8(), &error);
    if (error.error != QJsonParseError::NoError)
        qFatal("not JSON: %s", qPrintable(error.errorString()));
    return doc.isArray() ? QJsonValue(doc.array()) : QJsonValue(doc.object());
}

} // namespace

class TestRehearsals : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void dryRunPrintsThePlanAndExecutesNothing()
    {
        const Run r = antibodyctl({ u"dry-run"_s, shipped(u"connection-pool-exhaustion"_s) });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.startsWith(u"Dry run of connection-pool-exhaustion (version "_s), qPrintable(r.out));
        QVERIFY(r.out.contains(u"nothing is executed"_s));
        QVERIFY(r.out.contains(u"scenario connection-pool-exhaustion"_s));
        QVERIFY(r.out.contains(u"Mode: AUTO"_s));
        QVERIFY(r.out.contains(u"blast radius:"_s));
        QVERIFY(r.out.contains(u"connections"_s));
        QVERIFY(r.out.contains(u"Guardrails:"_s));
        QVERIFY(r.err.isEmpty());
    }

    void dryRunJsonHasTheBlastRadius()
    {
        const Run r = antibodyctl({ u"dry-run"_s, u"--json"_s, shipped(u"connection-pool-exhaustion"_s) });
        QCOMPARE(r.exitCode, 0);
        const QJsonObject o = parse(r.out).toObject();
        QCOMPARE(o.value(u"runbook"_s).toString(), u"connection-pool-exhaustion"_s);
        QCOMPARE(o.value(u"mode"_s).toString(), u"auto"_s);
        QCOMPARE(o.value(u"executed"_s).toBool(true), false);
        QCOMPARE(o.value(u"version"_s).toString().size(), 64);
        QCOMPARE(o.value(u"planned_for"_s).toObject().value(u"labels"_s).toObject().value(u"service"_s).toString(),
            u"orders-db"_s);
        QVERIFY(o.value(u"planned_for"_s).toObject().value(u"holds_now"_s).toBool());
        const QJsonArray steps = o.value(u"steps"_s).toArray();
        QCOMPARE(steps.size(), 3); // the diagnosis step ran (read-only); the plan is what comes after it
        const QJsonObject kill = steps.at(0).toObject();
        QCOMPARE(kill.value(u"action"_s).toString(), u"terminate_connections"_s);
        const QJsonObject radius = kill.value(u"blast_radius"_s).toObject();
        QCOMPARE(radius.value(u"dimension"_s).toString(), u"connections"_s);
        QVERIFY(radius.value(u"fleet_size"_s).toInt() > 0);
        QVERIFY(radius.value(u"chosen"_s).toArray().size() <= radius.value(u"cap_count"_s).toInt());
        QCOMPARE(radius.value(u"cap"_s).toString(), u"15%"_s);
        QVERIFY(!o.value(u"guardrails"_s).toArray().isEmpty());
        QVERIFY(o.value(u"guardrails"_s).toArray().at(0).toObject().contains(u"verdict"_s));
    }

    void dryRunInAnotherScenario()
    {
        // A quiet fleet: the trigger does not hold, and the dry run says so.
        QTemporaryDir dir;
        const QByteArray noDrill = [] {
            QFile f(shipped(u"connection-pool-exhaustion"_s));
            f.open(QIODevice::ReadOnly);
            QByteArray b = f.readAll();
            return b.left(b.indexOf("\ndrill:") + 1);
        }();
        const Run quiet = antibodyctl({ u"dry-run"_s, write(dir, u"quiet.yaml"_s, noDrill) });
        QCOMPARE(quiet.exitCode, 0);
        QVERIFY2(quiet.out.contains(u"the simulated fleet with nothing wrong"_s), qPrintable(quiet.out));
        QVERIFY(quiet.out.contains(u"does not hold now"_s));
        const Run other
            = antibodyctl({ u"dry-run"_s, u"--scenario"_s, u"cert-expiry"_s, shipped(u"certificate-renewal"_s) });
        QCOMPARE(other.exitCode, 0);
        QVERIFY(other.out.contains(u"scenario cert-expiry"_s));
    }

    void dryRunRefusesWhatItCannotPlan_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("says");
        QTest::addRow("no runbook") << QStringList {} << 2 << u"name exactly one runbook"_s;
        QTest::addRow("two runbooks") << QStringList { shipped(u"certificate-renewal"_s),
            shipped(u"region-failover"_s) }
                                      << 2 << u"exactly one"_s;
        QTest::addRow("missing file") << QStringList { u"/nonexistent/x.yaml"_s } << 2 << u"cannot be read"_s;
        QTest::addRow("unknown scenario")
            << QStringList { u"--scenario"_s, u"conection-pool"_s, shipped(u"certificate-renewal"_s) } << 2
            << u"antibodyctl scenarios"_s;
        QTest::addRow("scenario without a name")
            << QStringList { shipped(u"certificate-renewal"_s), u"--scenario"_s } << 2 << u"needs a name"_s;
        QTest::addRow("unknown option") << QStringList { u"--yes"_s, shipped(u"certificate-renewal"_s) } << 2
                                        << u"unknown option"_s;
    }
    void dryRunRefusesWhatItCannotPlan()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, says);
        const Run r = antibodyctl(QStringList { u"dry-run"_s } + args);
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(says), qPrintable(r.err));
        QVERIFY(r.out.isEmpty());
    }

    void dryRunOfAnInvalidRunbookFails()
    {
        QTemporaryDir dir;
        const QString path = write(dir, u"bad.yaml"_s,
            "name: bad\ntrigger: { alert: HighCpu }\nsteps:\n  - { name: a, action: restart_pod }\n");
        const Run r = antibodyctl({ u"dry-run"_s, path });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.err.contains(u"bad.yaml:4:"_s) && r.err.contains(u"unknown-action"_s), qPrintable(r.err));
        QVERIFY(r.err.contains(u"does not validate"_s));
    }

    void drillPassesAndStoresTheResult()
    {
        QTemporaryDir data;
        const Run r = antibodyctl(
            { u"drill"_s, u"--json"_s, u"--data-dir"_s, data.path(), shipped(u"connection-pool-exhaustion"_s) });
        QCOMPARE(r.exitCode, 0);
        const QJsonArray all = parse(r.out).toArray();
        QCOMPARE(all.size(), 1);
        const QJsonObject o = all.at(0).toObject();
        QCOMPARE(o.value(u"runbook"_s).toString(), u"connection-pool-exhaustion"_s);
        QCOMPARE(o.value(u"scenario"_s).toString(), u"connection-pool-exhaustion"_s);
        QCOMPARE(o.value(u"passed"_s).toBool(), true);
        QCOMPARE(o.value(u"outcome"_s).toString(), u"resolved"_s);
        QVERIFY(o.value(u"mttr_seconds"_s).isDouble());
        QVERIFY(o.value(u"mttr_seconds"_s).toDouble() > 0 && o.value(u"mttr_seconds"_s).toDouble() <= 45);
        QVERIFY(QFile::exists(data.filePath(u"antibody.db"_s)));
    }

    void aFailedDrillExitsOne()
    {
        QTemporaryDir dir;
        QTemporaryDir data;
        const QString wrong = write(dir, u"wrong.yaml"_s, promisesEscalation());
        const Run text = antibodyctl(
            { u"drill"_s, u"--data-dir"_s, data.path(), shipped(u"connection-pool-exhaustion"_s), wrong });
        QCOMPARE(text.exitCode, 1);
        QVERIFY2(text.out.contains(u"PASS  connection-pool-exhaustion"_s), qPrintable(text.out));
        QVERIFY(text.out.contains(u"FAIL  wrong-promise"_s));
        QVERIFY(text.out.contains(u"resolved, but the runbook promises escalated"_s));
        QVERIFY(text.out.contains(u"detected"_s)); // a failed drill prints its timeline
        QVERIFY(text.out.contains(u"drill: 1 of 2 runbooks passed"_s));

        const Run json = antibodyctl({ u"drill"_s, u"--json"_s, u"--data-dir"_s, data.path(), wrong });
        QCOMPARE(json.exitCode, 1);
        const QJsonObject o = parse(json.out).toArray().at(0).toObject();
        QCOMPARE(o.value(u"passed"_s).toBool(true), false);
        QCOMPARE(o.value(u"outcome"_s).toString(), u"resolved"_s);
        QVERIFY(!o.value(u"failures"_s).toArray().isEmpty());
    }

    void drillWithoutDrillMetadataOrValidityFails()
    {
        QTemporaryDir dir;
        QTemporaryDir data;
        const QString noDrill = write(dir, u"nodrill.yaml"_s,
            "name: nodrill\nlevel: 1\ntrigger: { alert: HighCpu }\nsteps:\n  - { name: page, action: page_oncall }\n");
        const QString invalid = write(dir, u"invalid.yaml"_s, "name: invalid\nlevel: 7\n");
        const Run r = antibodyctl({ u"drill"_s, u"--json"_s, u"--data-dir"_s, data.path(), noDrill, invalid });
        QCOMPARE(r.exitCode, 1);
        QHash<QString, QJsonObject> byName;
        for (const QJsonValue &v : parse(r.out).toArray())
            byName.insert(v.toObject().value(u"runbook"_s).toString(), v.toObject());
        QCOMPARE(byName.size(), 2);
        QCOMPARE(byName.value(u"invalid"_s).value(u"outcome"_s).toString(), u"invalid"_s);
        QVERIFY(byName.value(u"invalid"_s).value(u"detail"_s).toString().contains(u"antibodyctl lint"_s));
        QCOMPARE(byName.value(u"nodrill"_s).value(u"outcome"_s).toString(), u"not_drilled"_s);
        QVERIFY(byName.value(u"nodrill"_s).value(u"detail"_s).toString().contains(u"no `drill:` section"_s));
        QVERIFY(byName.value(u"nodrill"_s).value(u"scenario"_s).isNull());
    }

    void lintWarnsAboutRunbooksNotDrilledThisMonth()
    {
        QTemporaryDir data;
        QCOMPARE(antibodyctl({ u"drill"_s, u"--data-dir"_s, data.path(), shipped(u"connection-pool-exhaustion"_s) })
                     .exitCode,
            0);
        const Run r = antibodyctl({ u"lint"_s, u"--data-dir"_s, data.path(), shipped(u"connection-pool-exhaustion"_s),
            shipped(u"certificate-renewal"_s) });
        QCOMPARE(r.exitCode, 0); // warnings do not fail lint
        QVERIFY2(
            r.out.contains(u"warning[drill-overdue]: runbook certificate-renewal: never drilled"_s), qPrintable(r.out));
        QVERIFY(r.out.contains(u"antibodyctl drill "_s));
        QVERIFY(!r.out.contains(u"runbook connection-pool-exhaustion:"_s)); // drilled just now
        // Without a history there is nothing to say about drills; a named folder without one is an error.
        const Run none = antibodyctl({ u"lint"_s, shipped(u"certificate-renewal"_s) });
        QCOMPARE(none.exitCode, 0);
        QVERIFY(!none.out.contains(u"drill-overdue"_s));
        QTemporaryDir empty;
        const Run missing
            = antibodyctl({ u"lint"_s, u"--data-dir"_s, empty.path(), shipped(u"certificate-renewal"_s) });
        QCOMPARE(missing.exitCode, 2);
        QVERIFY2(missing.err.contains(empty.path()), qPrintable(missing.err));
    }

    void drillNamesWhatItCannotFind_data()
    {
        QTest::addColumn<QByteArray>("drill");
        QTest::addColumn<QString>("says");
        QTest::addRow("unknown scenario")
            << QByteArray("drill: { scenario: conection-pool-exhaustion }\n")
            << u"no simulator scenario is named 'conection-pool-exhaustion' (did you mean 'connection-pool-exhaustion'?)"_s;
        QTest::addRow("unknown fault") << QByteArray("drill: { fault: conection_leak }\n")
                                       << u"the simulator injects no fault named 'conection_leak'"_s;
    }
    void drillNamesWhatItCannotFind()
    {
        QFETCH(QByteArray, drill);
        QFETCH(QString, says);
        QTemporaryDir dir;
        QTemporaryDir data;
        QByteArray text = promisesEscalation();
        text = text.left(text.indexOf("\ndrill:") + 1) + drill;
        const Run r = antibodyctl({ u"drill"_s, u"--data-dir"_s, data.path(), write(dir, u"x.yaml"_s, text) });
        QCOMPARE(r.exitCode, 1);
        QVERIFY2(r.out.contains(says), qPrintable(r.out));
    }

    void drillUsageErrors_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("says");
        QTest::addRow("nothing to drill") << QStringList {} << u"name at least one"_s;
        QTest::addRow("missing path") << QStringList { u"/nonexistent/runbooks"_s } << u"does not exist"_s;
        QTest::addRow("unknown option") << QStringList { u"--fast"_s, shipped(u"certificate-renewal"_s) }
                                        << u"unknown option"_s;
        QTest::addRow("data dir without a value")
            << QStringList { shipped(u"certificate-renewal"_s), u"--data-dir"_s } << u"--data-dir"_s;
    }
    void drillUsageErrors()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, says);
        const Run r = antibodyctl(QStringList { u"drill"_s } + args);
        QCOMPARE(r.exitCode, 2);
        const QString &err = r.err;
        QVERIFY2(err.contains(says), qPrintable(err));
    }
};

QTEST_GUILESS_MAIN(TestRehearsals)
#include "tst_rehearsals.moc"
