// The console as `antibody --config` runs it on the real stack (label realstack), at
// a person's pace: the pool is exhausted, the proposal appears, the engineer reads it
// for a minute (six of the stack's 10 s freshness bounds) and clicks the real Approve
// button: the plan runs and the incident resolves. When the targets change while the
// card is read (a connection closes by itself), the banner says so first, and only
// the new plan can be approved.
#include "configuredconsole.h"
#include "models/incidentmodel.h"
#include "models/present/proposalbook.h"
#include "realstackrun.h"
#include "tests/support/widgetlookup.h"
#include "ui/incidentview.h"

#include <QFile>
#include <QLabel>
#include <QPushButton>
#include <QScopeGuard>
#include <QStandardPaths>
#include <QTableView>
#include <QTemporaryDir>
#include <QTest>
#include <libpq-fe.h>

using namespace Qt::StringLiterals;
using antibody::test::child;
using namespace antibody;
using antibody::test::ConfiguredConsole;
using antibody::test::RealStack;

namespace {

} // namespace

class TestRealStackConsole : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    std::unique_ptr<ConfiguredConsole> m_console;

    QPushButton *approve() const { return child<QPushButton>(&m_console->window, u"approveButton"_s); }
    QString reason() const { return child<QLabel>(&m_console->window, u"approvalReason"_s)->text(); }
    bool bannerShown() const { return child<QWidget>(&m_console->window, u"planChangedBanner"_s)->isVisible(); }

    void exhaust()
    {
        QString log;
        QVERIFY2(RealStack::run({ u"release"_s }, &log), qPrintable(log));
        QVERIFY2(RealStack::run({ u"exhaust"_s }, &log), qPrintable(log));
    }

    // The proposal that appears for the exhausted pool, its row clicked in the list.
    QString proposalShown()
    {
        if (!QTest::qWaitFor([this] { return !m_console->models.proposals()->waiting().isEmpty(); }, 60'000))
            return {};
        const QString incident = m_console->models.proposals()->waiting().constFirst().incidentId;
        m_console->models.flush();
        auto *table = child<QTableView>(&m_console->window, u"incidentTable"_s);
        for (int row = 0; row < table->model()->rowCount(); ++row) {
            const QModelIndex index = table->model()->index(row, IncidentModel::TitleColumn);
            if (index.data(IncidentModel::IncidentIdRole).toString() == incident)
                QTest::mouseClick(table->viewport(), Qt::LeftButton, {}, table->visualRect(index).center());
        }
        return m_console->window.incidentView()->incidentId() == incident ? incident : QString();
    }

    // For failure messages: where the incident stands and why.
    QString said(const QString &incident) const
    {
        const Incident *i = m_console->models.incidents()->incident(incident);
        QStringList lines { reason() };
        if (i) {
            for (const Transition &t : i->history)
                lines << incidentStateText(t.state) + u": "_s + t.reason;
        }
        return lines.join(u'\n');
    }

    IncidentState stateOf(const QString &incident) const
    {
        const Incident *i = m_console->models.incidents()->incident(incident);
        return i ? i->state : IncidentState::Open;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_dir.isValid());
        antibody::test::waitForQuietStack();
        // The stack's runbook (level 2: the plan waits for the click), with a cooldown short
        // enough that the second case does not wait out the first one's three minutes.
        const QString runbooks = RealStack::poolRunbook(m_dir.filePath(u"runbooks"_s), { u"--cooldown"_s, u"5s"_s });
        const QString config = m_dir.filePath(u"antibody.yaml"_s);
        QFile f(config);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(RealStack::configuration(runbooks));
        f.close();

        m_console = std::make_unique<ConfiguredConsole>(u"alice@console"_s);
        QString error;
        QVERIFY2(!m_console->start(config, m_dir.filePath(u"data"_s), &error).isEmpty(), qPrintable(error));
    }

    void cleanupTestCase()
    {
        m_console.reset();
        QString log;
        RealStack::run({ u"release"_s }, &log);
    }

    void approveAMinuteLaterRunsThePlanAndResolves()
    {
        exhaust();
        const QString incident = proposalShown();
        QVERIFY2(!incident.isEmpty(), "no proposal was shown for the exhausted pool");
        const QString fingerprint = m_console->models.proposals()->waiting().constFirst().plan.fingerprint;
        QTest::qWait(60'000); // the engineer reads the card: six freshness bounds
        if (bannerShown()) {
            // The plan changed while it was read: the banner said so; look at the new one.
            QTest::mouseClick(child<QPushButton>(&m_console->window, u"reviewPlanButton"_s), Qt::LeftButton);
        } else {
            QCOMPARE(m_console->models.proposals()->waiting().constFirst().plan.fingerprint, fingerprint);
        }
        QVERIFY2(approve()->isEnabled(), qPrintable(reason()));
        QTest::mouseClick(approve(), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(stateOf(incident) == IncidentState::Resolved, qPrintable(said(incident)), 60'000);
        QVERIFY2(!reason().contains(u"refused"_s), qPrintable(reason()));
    }

    void targetsThatChangedShowTheBannerFirst()
    {
        exhaust();
        const QString incident = proposalShown();
        QVERIFY2(!incident.isEmpty(), "no proposal was shown for the exhausted pool");
        const QString shownId = m_console->models.proposals()->waiting().constFirst().id;
        QVERIFY(approve()->isEnabled());
        // The oldest idle connection, the first the plan would terminate, goes away by itself.
        const QList<QStringList> killed
            = antibody::test::query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE usename = 'app' "
                                    "AND state = 'idle' ORDER BY state_change, pid LIMIT 1");
        QCOMPARE(killed, (QList<QStringList> { { u"t"_s } }));
        // The application opens another at once: the pool stays exhausted, its members changed.
        // (Its retry is the application's own: the freed slot may go to the exporter's scrape first.)
        PGconn *another = antibody::test::connectWhenASlotFrees(RealStack::appDsn() + u" application_name=app"_s);
        const auto closeIt = qScopeGuard([another] { PQfinish(another); });
        QVERIFY2(another, "every try to reopen the app's connection met a full pool for 10 s");
        QVERIFY2(PQstatus(another) == CONNECTION_OK, PQerrorMessage(another));
        QTRY_VERIFY_WITH_TIMEOUT(bannerShown(), 30'000);
        QVERIFY(!approve()->isEnabled()); // the plan read can no longer be approved
        QTest::mouseClick(child<QPushButton>(&m_console->window, u"reviewPlanButton"_s), Qt::LeftButton);
        QVERIFY(m_console->window.findChild<QWidget *>(u"proposalCard"_s));
        QTRY_VERIFY2(approve()->isEnabled(), qPrintable(reason()));
        QVERIFY(m_console->models.proposals()->waiting().constFirst().id != shownId);
        QTest::mouseClick(approve(), Qt::LeftButton);
        QTRY_VERIFY2_WITH_TIMEOUT(stateOf(incident) == IncidentState::Resolved, qPrintable(said(incident)), 60'000);
    }
};

QTEST_MAIN(TestRealStackConsole)
#include "tst_realstackconsole.moc"
