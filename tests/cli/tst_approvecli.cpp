// antibodyctl approve as a person uses it: list what waits, read one plan, paste the
// command it prints, and the approval is in the store for the engine that holds the
// incident (review finding 10: `approvals: 2` can be met from a second process).
#include "engine/store/identity.h"
#include "engine/store/sqlitestore.h"
#include "tests/engine/storefixtures.h"
#include "tests/support/clirun.h"

#include <QDateTime>
#include <QDir>
#include <QRegularExpression>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using antibody::cli::antibodyctl;
using antibody::cli::Run;

class TestApproveCli : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    int m_n = 0;

    // A data folder whose store holds one incident waiting for two approvals, made now.
    QString waitingFolder(int approvals = 2, qint64 ageSeconds = 0, const QString &title = {})
    {
        const QString dir = m_dir.filePath(QString::number(++m_n));
        QDir().mkpath(dir);
        QFile::setPermissions(dir, QFile::ReadOwner | QFile::WriteOwner | QFile::ExeOwner);
        QString error;
        auto store = SqliteStore::open(dir + u"/antibody.db"_s, &error);
        if (!store)
            qFatal("%s", qUtf8Printable(error));
        const TimePoint made = fromMillis(QDateTime::currentMSecsSinceEpoch() - ageSeconds * 1000);
        const QString id = u"INC-%1"_s.arg(QString(32, QChar(u'0' + m_n % 10)));
        Incident incident = fixtures::incident(id, made);
        if (!title.isEmpty())
            incident.title = title;
        store->openIncident(incident, {});
        store->saveProposal(fixtures::proposal(id + u"-P1"_s, id, made, approvals));
        return dir;
    }

    static QString idIn(const QString &listing)
    {
        return QRegularExpression(u"see it: antibodyctl approve (\\S+)"_s).match(listing).captured(1);
    }

private Q_SLOTS:
    void listReadApproveAsPrinted()
    {
        const QString dir = waitingFolder();
        const Run listed = antibodyctl({ u"approve"_s, u"--data-dir"_s, dir });
        QCOMPARE(listed.exitCode, 0);
        QVERIFY2(listed.out.startsWith(u"1 plan waits for approval in "_s) && listed.out.contains(u"0 of 2 approvals"_s)
                && listed.out.contains(u"the approval window closes at"_s),
            qPrintable(listed.out));
        const QString id = idIn(listed.out);
        QCOMPARE(id.size(), 12); // the short form the timeline prints

        const Run shown = antibodyctl({ u"approve"_s, id, u"--data-dir"_s, dir });
        QCOMPARE(shown.exitCode, 0);
        QVERIFY2(shown.out.contains(u"1. kill_idle: terminate_connections"_s)
                && shown.out.contains(u"targets: pid 4711, pid 4712"_s)
                && shown.out.contains(u"waits: runbook level 2 waits for approval"_s),
            qPrintable(shown.out));
        const QString command = QRegularExpression(u"  antibodyctl (approve \\S+ --fingerprint [0-9a-f]{64})\\n"_s)
                                    .match(shown.out)
                                    .captured(1);
        QVERIFY2(!command.isEmpty(), qPrintable(shown.out));

        QStringList pasted = command.split(u' ');
        pasted << u"--data-dir"_s << dir;
        const Run approved = antibodyctl(pasted);
        QCOMPARE(approved.exitCode, 0);
        QVERIFY2(approved.out.contains(u"as %1: 1 of 2 distinct approvals (%1)"_s.arg(Identity::approver()))
                && approved.out.contains(u"One more person must approve it"_s),
            qPrintable(approved.out));
        const Run again = antibodyctl(pasted);
        QCOMPARE(again.exitCode, 1);
        QVERIFY2(again.err.contains(u"already approved this plan"_s), qPrintable(again.err));
        QVERIFY(antibodyctl({ u"approve"_s, u"--data-dir"_s, dir })
                    .out.contains(u"1 of 2 approvals (%1)"_s.arg(Identity::approver())));
    }

    // An approval binds to the plan shown: another fingerprint, or a window closed while
    // the person read it, is refused and says why.
    void theApprovalBindsToThePlanAndItsWindow()
    {
        const QString dir = waitingFolder(1);
        const QString id = idIn(antibodyctl({ u"approve"_s, u"--data-dir"_s, dir }).out);
        const Run other
            = antibodyctl({ u"approve"_s, id, u"--fingerprint"_s, QString(64, u'a'), u"--data-dir"_s, dir });
        QCOMPARE(other.exitCode, 1);
        QVERIFY2(other.err.contains(u"the plan changed since it was shown"_s), qPrintable(other.err));

        const QString late = waitingFolder(1, 16 * 60); // made 16 minutes ago: its 15-minute window closed
        const Run listed = antibodyctl({ u"approve"_s, u"--data-dir"_s, late });
        QVERIFY2(listed.out.startsWith(u"No plan waits for approval"_s), qPrintable(listed.out));
    }

    void badInputIsNamed_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<int>("exitCode");
        QTest::addColumn<QString>("says");
        QTest::addRow("fingerprint not hex") << QStringList { u"INC-1"_s, u"--fingerprint"_s, u"abc; rm -rf /"_s } << 2
                                             << u"--fingerprint wants the plan's 64-digit sha256"_s;
        QTest::addRow("fingerprint without an id")
            << QStringList { u"--fingerprint"_s, QString(64, u'b') } << 2 << u"needs the incident or proposal"_s;
        QTest::addRow("unknown incident")
            << QStringList { u"INC-ffffffff"_s } << 1 << u"no plan of 'INC-ffffffff' waits"_s;
        QTest::addRow("control characters") << QStringList { u"INC-\x1b[31mred"_s } << 1 << u"\\x1b[31mred"_s;
        QTest::addRow("unknown option") << QStringList { u"--yes"_s } << 2
                                        << u"unknown or incomplete argument '--yes'"_s;
    }

    void badInputIsNamed()
    {
        QFETCH(QStringList, args);
        QFETCH(int, exitCode);
        QFETCH(QString, says);
        const QString dir = waitingFolder();
        const Run r = antibodyctl(QStringList { u"approve"_s } + args + QStringList { u"--data-dir"_s, dir });
        QCOMPARE(r.exitCode, exitCode);
        QVERIFY2(r.err.contains(says), qPrintable(r.err));
        QVERIFY(!r.err.contains(u'\x1b'));
    }

    void hostileTitlesPrintAsOneLine()
    {
        const QString dir = waitingFolder(2, 0, u"pool\nexhausted\x1b]0;pwned\x07 =cmd|' /C calc'!A0"_s);
        const Run listed = antibodyctl({ u"approve"_s, u"--data-dir"_s, dir });
        QCOMPARE(listed.exitCode, 0);
        QVERIFY(!listed.out.contains(u'\x1b') && !listed.out.contains(u'\x07'));
        QVERIFY2(listed.out.contains(u"pool exhausted"_s), qPrintable(listed.out));
    }
};

QTEST_GUILESS_MAIN(TestApproveCli)
#include "tst_approvecli.moc"
