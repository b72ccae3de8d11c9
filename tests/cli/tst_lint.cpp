// antibodyctl lint and catalog as a user and CI run them: exit codes 0/1/2, the text
// lines and the JSON shape.
#include "tests/support/clirun.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using antibody::cli::antibodyctl;
using antibody::cli::Run;
using antibody::cli::sourcePath;

namespace {

void write(const QString &path, const QByteArray &bytes)
{
    QDir().mkpath(QFileInfo(path).path());
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(bytes);
}

const QByteArray brokenRunbook = "name: broken\n"
                                 "trigger:\n"
                                 "  alert: HighCpu\n"
                                 "steps:\n"
                                 "  - name: kill\n"
                                 "    action: terminate_connection\n"
                                 "  - name: page\n"
                                 "    action: page_oncall\n"
                                 "    condition: kil.failed\n";

const QByteArray warningOnly = "name: warns\n"
                               "level: 3\n"
                               "trigger: { alert: RegionDegraded, confidence: high }\n"
                               "steps:\n"
                               "  - { name: shift, action: failover_region, blast_radius: { max_regions: 1 } }\n"
                               "  - { name: page, action: page_oncall, condition: shift.failed }\n";

const QRegularExpression diagnosticLine(u"^(.+):(\\d+):(\\d+): (error|warning)\\[([a-z0-9-]+)\\]: (.+)$"_s);

} // namespace

class TestLint : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void shippedLibraryIsClean()
    {
        const Run r = antibodyctl({ u"lint"_s, sourcePath(u"runbooks"_s) });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.endsWith(u": no problems\n"_s), qPrintable(r.out));
        QVERIFY(r.err.isEmpty());
    }

    void errorsExitOne()
    {
        QTemporaryDir dir;
        write(dir.filePath(u"broken.yaml"_s), brokenRunbook);
        const Run r = antibodyctl({ u"lint"_s, dir.path() });
        QCOMPARE(r.exitCode, 1);
        const QStringList lines = r.out.split(u'\n', Qt::SkipEmptyParts);
        // Two problems, each a diagnostic line and its hint, then the summary.
        QCOMPARE(lines.size(), 5);
        const auto first = diagnosticLine.match(lines[0]);
        QVERIFY2(first.hasMatch(), qPrintable(lines[0]));
        QCOMPARE(first.captured(1), QDir::cleanPath(dir.filePath(u"broken.yaml"_s)));
        QCOMPARE(first.captured(2), u"6"_s);
        QCOMPARE(first.captured(3), u"13"_s);
        QCOMPARE(first.captured(4), u"error"_s);
        QCOMPARE(first.captured(5), u"unknown-action"_s);
        QCOMPARE(lines[1], u"    hint: did you mean `terminate_connections`?"_s);
        QVERIFY2(diagnosticLine.match(lines[2]).captured(5) == u"unknown-step"_s, qPrintable(lines[2]));
        QCOMPARE(lines[3], u"    hint: did you mean `kill`?"_s);
        QCOMPARE(lines[4], u"lint: 2 errors, 0 warnings in 1 of 1 file; 0 runbooks loaded"_s);
    }

    void warningsAloneExitZero()
    {
        QTemporaryDir dir;
        write(dir.filePath(u"warns.yml"_s), warningOnly);
        const Run r = antibodyctl({ u"lint"_s, dir.filePath(u"warns.yml"_s) });
        QCOMPARE(r.exitCode, 0);
        QVERIFY2(r.out.contains(u"warning[waits-for-approval]"_s), qPrintable(r.out));
        QVERIFY(r.out.contains(u"lint: 0 errors, 1 warning in 1 of 1 file; 1 runbook loaded"_s));
    }

    void usageAndIoErrorsExitTwo_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("message");
        QTest::addRow("no path") << QStringList { u"lint"_s } << u"name at least one"_s;
        QTest::addRow("unknown option") << QStringList { u"lint"_s, u"--strict"_s, u"x.yaml"_s } << u"unknown option"_s;
        QTest::addRow("unknown format") << QStringList { u"lint"_s, u"--format"_s, u"xml"_s, u"x.yaml"_s }
                                        << u"unknown format"_s;
        QTest::addRow("format without value") << QStringList { u"lint"_s, u"--format"_s } << u"needs a value"_s;
        QTest::addRow("missing path") << QStringList { u"lint"_s, u"/nonexistent/runbooks"_s } << QString();
        QTest::addRow("folder without runbooks")
            << QStringList { u"lint"_s, sourcePath(u"docs"_s) } << u"no runbook files"_s;
        QTest::addRow("catalog format") << QStringList { u"catalog"_s, u"--format"_s, u"yaml"_s }
                                        << u"unknown format"_s;
    }

    void usageAndIoErrorsExitTwo()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, message);
        const Run r = antibodyctl(args);
        QCOMPARE(r.exitCode, 2);
        if (message.isEmpty()) { // an I/O error is a diagnostic like any other
            QVERIFY2(r.out.contains(u"error[io-error]: no such file or folder"_s), qPrintable(r.out));
        } else {
            QVERIFY2(r.err.contains(message), qPrintable(r.err));
            QVERIFY(r.out.isEmpty());
        }
    }

    void jsonShape()
    {
        QTemporaryDir dir;
        write(dir.filePath(u"a/broken.yaml"_s), brokenRunbook);
        write(dir.filePath(u"b/warns.yaml"_s), warningOnly);
        const Run r = antibodyctl({ u"lint"_s, u"--format"_s, u"json"_s, dir.path() });
        QCOMPARE(r.exitCode, 1);
        QJsonParseError error;
        const QJsonDocument doc = QJsonDocument::fromJson(r.out.toUtf8(), &error);
        QCOMPARE(error.error, QJsonParseError::NoError);
        QVERIFY(doc.isArray());
        const QJsonArray array = doc.array();
        QCOMPARE(array.size(), 3);
        const QStringList keys { u"code"_s, u"column"_s, u"file"_s, u"hint"_s, u"line"_s, u"message"_s, u"severity"_s };
        for (const QJsonValue &v : array) {
            const QJsonObject o = v.toObject();
            QCOMPARE(o.keys(), keys);
            QVERIFY(o[u"file"_s].isString() && o[u"code"_s].isString() && o[u"message"_s].isString()
                && o[u"hint"_s].isString());
            QVERIFY(o[u"line"_s].isDouble() && o[u"column"_s].isDouble());
            QVERIFY(o[u"severity"_s] == u"error"_s || o[u"severity"_s] == u"warning"_s);
        }
        const QJsonObject first = array[0].toObject();
        QCOMPARE(first[u"code"_s].toString(), u"unknown-action"_s);
        QCOMPARE(first[u"line"_s].toInt(), 6);
        QCOMPARE(first[u"column"_s].toInt(), 13);
        QCOMPARE(first[u"hint"_s].toString(), u"did you mean `terminate_connections`?"_s);
        QCOMPARE(array[2].toObject()[u"severity"_s].toString(), u"warning"_s);
    }

    void jsonOfACleanLibraryIsAnEmptyArray()
    {
        const Run r = antibodyctl({ u"lint"_s, u"--format=json"_s, sourcePath(u"runbooks"_s) });
        QCOMPARE(r.exitCode, 0);
        QCOMPARE(QJsonDocument::fromJson(r.out.toUtf8()).array().size(), 0);
        QVERIFY(QJsonDocument::fromJson(r.out.toUtf8()).isArray());
    }

    void catalogFormats()
    {
        const Run json = antibodyctl({ u"catalog"_s, u"--format"_s, u"json"_s });
        QCOMPARE(json.exitCode, 0);
        const QJsonArray actions = QJsonDocument::fromJson(json.out.toUtf8()).object()[u"actions"_s].toArray();
        QVERIFY(actions.size() >= 14);
        QCOMPARE(actions[0].toObject()[u"name"_s].toString(), u"query_metrics"_s);

        const Run schema = antibodyctl({ u"catalog"_s, u"--format"_s, u"schema"_s });
        QCOMPARE(schema.exitCode, 0);
        QFile checkedIn(sourcePath(u"resources/schema/runbook.schema.json"_s));
        QVERIFY(checkedIn.open(QIODevice::ReadOnly));
        QCOMPARE(schema.out.toUtf8(), checkedIn.readAll());

        const Run text = antibodyctl({ u"catalog"_s });
        QCOMPARE(text.exitCode, 0);
        QVERIFY(text.out.contains(u"terminate_connections  safe · mutates · blast radius max_connections"_s));
    }
};

QTEST_GUILESS_MAIN(TestLint)
#include "tst_lint.moc"
