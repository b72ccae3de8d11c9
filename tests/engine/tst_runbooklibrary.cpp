// The shipped runbook library: every file loads without a single diagnostic, is
// documented at its top, and speaks only the names of docs/vocabulary.md, so it runs
// on the simulator and on production alike.
#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/runbookloader.h"

#include <QFile>
#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

QString sourceDir()
{
    return qEnvironmentVariable("ANTIBODY_SOURCE_DIR");
}

// Every `name` in the first column of the table under a "## Heading" of vocabulary.md.
QSet<QString> vocabulary(const QString &heading)
{
    QFile f(sourceDir() + u"/docs/vocabulary.md"_s);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    const QString text = QString::fromUtf8(f.readAll());
    const qsizetype start = text.indexOf(u"## "_s + heading + u'\n');
    const qsizetype end = text.indexOf(u"\n## "_s, start + 1);
    QSet<QString> names;
    static const QRegularExpression code(u"`([a-zA-Z_:][a-zA-Z0-9_:]*)`"_s); // recorded series have colons
    for (const QString &line : text.mid(start, end - start).split(u'\n')) {
        if (!line.startsWith(u"| `"_s))
            continue;
        auto it = code.globalMatch(line.section(u'|', 1, 1));
        while (it.hasNext())
            names.insert(it.next().captured(1));
    }
    return names;
}

QString selectorName(const QString &metric)
{
    return metric.section(u'{', 0, 0).trimmed();
}

} // namespace

class TestRunbookLibrary : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void loadsWithoutASingleDiagnostic()
    {
        const LibraryResult library = loadRunbookLibrary({ sourceDir() + u"/runbooks"_s });
        QStringList problems;
        for (const Diagnostic &d : library.diagnostics)
            problems << d.toString();
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
        QCOMPARE(library.runbooks.size(), library.files.size());
        QVERIFY(library.runbooks.size() >= 10);
    }

    void eachIsDocumentedAndNamedAfterItsFile()
    {
        const LibraryResult library = loadRunbookLibrary({ sourceDir() + u"/runbooks"_s });
        for (const Runbook &r : library.runbooks) {
            QCOMPARE(QFileInfo(r.file).completeBaseName(), r.name);
            QFile f(r.file);
            QVERIFY(f.open(QIODevice::ReadOnly));
            const QStringList lines = QString::fromUtf8(f.readAll()).split(u'\n');
            QVERIFY2(lines.front().startsWith(u"# "_s + r.name + u" — "_s),
                qPrintable(r.file + u": the first line names the runbook and says what it does"_s));
            int comment = 0;
            while (comment < lines.size() && lines[comment].startsWith(u'#'))
                ++comment;
            QVERIFY2(comment >= 6, qPrintable(r.file + u": a runbook explains itself in a comment block at its top"_s));
            QVERIFY2(r.drill.has_value(), qPrintable(r.name + u" has no drill"_s));
        }
    }

    void speaksTheVocabulary()
    {
        const QSet<QString> metrics = vocabulary(u"Metrics"_s);
        const QSet<QString> alerts = vocabulary(u"Alerts"_s);
        QVERIFY(metrics.contains(u"service:pg_connection_utilization:ratio"_s)
            && alerts.contains(u"KubePodCrashLooping"_s));
        const LibraryResult library = loadRunbookLibrary({ sourceDir() + u"/runbooks"_s });
        for (const Runbook &r : library.runbooks) {
            for (const TriggerExpression &e : r.trigger.expressions) {
                if (e.isMetric())
                    QVERIFY2(metrics.contains(e.name),
                        qPrintable(r.name + u": metric "_s + e.name + u" is not in docs/vocabulary.md"_s));
                else if (!e.name.isEmpty())
                    QVERIFY2(alerts.contains(e.name),
                        qPrintable(r.name + u": alert "_s + e.name + u" is not in docs/vocabulary.md"_s));
            }
            for (const Step &s : r.steps) {
                for (auto it = s.params.cbegin(); it != s.params.cend(); ++it) {
                    if (it->type == ParamType::Metric)
                        QVERIFY2(metrics.contains(selectorName(it->toText())),
                            qPrintable(r.name + u'.' + s.name + u": metric "_s + it->toText()
                                + u" is not in docs/vocabulary.md"_s));
                }
            }
        }
    }

    void levelThreeRunbooksHealUnattended()
    {
        // What the seed promises for Level 3: blast radius on every change, a page
        // when the fix fails, and nothing that waits for a human on the way.
        const LibraryResult library = loadRunbookLibrary({ sourceDir() + u"/runbooks"_s });
        int levelThree = 0;
        for (const Runbook &r : library.runbooks) {
            if (r.level < 3)
                continue;
            ++levelThree;
            QCOMPARE(r.trigger.confidence, Confidence::High);
            for (const Step &s : r.steps) {
                const ActionSpec *a = ActionCatalog::instance().find(s.action);
                QVERIFY(a);
                QVERIFY2(a->tier == Tier::Safe, qPrintable(r.name + u'.' + s.name));
                if (a->mutates())
                    QVERIFY2(
                        s.blastRadius && s.blastRadius->dimension == a->dimension, qPrintable(r.name + u'.' + s.name));
            }
        }
        QVERIFY(levelThree >= 6);
    }
};

QTEST_GUILESS_MAIN(TestRunbookLibrary)
#include "tst_runbooklibrary.moc"
