// Two people, two consoles, one team server: `antibody --server` as its widgets show
// it. The server is the real engine on the simulated fleet in virtual time, over TLS;
// each console is a ServerLink and a MainWindow, driven with mouse clicks. Alice and
// Bob see the same waiting proposal; Alice reads it for minutes and clicks Approve;
// both see it run and resolve, and Bob's Approve says who approved. Then the server
// goes away: the banner says so within the heartbeat window and Approve is disabled
// with the reason; it comes back: the banner goes, and no event is lost or doubled.
#include "client/serverlink.h"
#include "engine/domain/recordjson.h"
#include "models/link/consolemodels.h"
#include "tests/support/incidentrow.h"
#include "tests/support/teamserverrig.h"
#include "tests/support/widgetlookup.h"
#include "ui/connectionbanner.h"
#include "ui/incidentview.h"
#include "ui/mainwindow.h"
#include "ui/metricchart.h"

#include <QDir>
#include <QFile>
#include <QLabel>
#include <QLineEdit>
#include <QPainter>
#include <QPushButton>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using antibody::test::child;
using antibody::test::SelfSignedCertificate;
using antibody::test::TeamServerRig;

namespace antibody::e2e {
namespace {

// One engineer's console as `antibody --server URL --ca-file PEM --name NAME` builds it.
struct Console
{
    Console(const TeamServerRig &rig, const SelfSignedCertificate &certificate, const QString &name)
    {
        QString error;
        const auto address = ServerAddress::parse(rig.server->api().url(), certificate.certFile(), &error);
        if (!address)
            qFatal("%s", qPrintable(error));
        ServerLink::Options options;
        options.address = *address;
        options.name = name;
        options.heartbeat = 500ms; // the rig's server heartbeat
        link = std::make_unique<ServerLink>(&models, options);
        window = std::make_unique<MainWindow>(&models, link.get(), link.get());
        window->resize(1180, 860);
        window->show();
        link->start();
    }

    bool connected() const { return link->connection().phase == ConnectionState::Phase::Connected; }

    // A real click on the incident's row, once the console lists it.
    bool clickRow(const QString &incidentId)
    {
        models.flush();
        return antibody::test::clickIncidentRow(*window, incidentId);
    }

    // The plan was made again while the person read: they look at the new one first.
    void reviewIfReplanned()
    {
        auto *review = child<QPushButton>(window.get(), u"reviewPlanButton"_s);
        if (review->isVisible())
            QTest::mouseClick(review, Qt::LeftButton);
    }

    std::optional<IncidentState> state(const QString &incidentId)
    {
        models.flush();
        const Incident *i = models.incidents()->incident(incidentId);
        return i ? std::optional(i->state) : std::nullopt;
    }

    QPushButton *approve() const { return child<QPushButton>(window.get(), u"approveButton"_s); }
    // What the card says of people: who approved and when, who else looks (empty when hidden).
    QString approvals() const { return shownText(u"proposalApprovals"_s); }
    QString viewers() const { return shownText(u"proposalViewers"_s); }
    QString shownText(const QString &name) const
    {
        const auto *label = child<QLabel>(window.get(), name);
        return label->isVisible() ? label->text() : QString();
    }
    QString reason() const { return child<QLabel>(window.get(), u"approvalReason"_s)->text(); }
    bool bannerShown() const { return window->connectionBanner()->isVisible(); }

    // The incident's charts on screen, and how many points the first series of each plots.
    QList<MetricChart *> charts() const { return window->findChildren<MetricChart *>(); }
    static int plotted(const MetricChart *chart) { return chart->seriesCount() > 0 ? chart->plottedPointCount(0) : 0; }
    QString bannerText() const { return window->connectionBanner()->text(); }

    ConsoleModels models;
    std::unique_ptr<ServerLink> link;
    std::unique_ptr<MainWindow> window;
};

// With ANTIBODY_SCREENSHOTS=DIR (scripts/screenshots), the windows side by side as DIR/NAME.png.
void screenshot(const QString &name, const QList<QWidget *> &windows)
{
    const QString dir = qEnvironmentVariable("ANTIBODY_SCREENSHOTS");
    if (dir.isEmpty())
        return;
    QTest::qWait(1'200); // the layouts settle and the charts read once, as a person would see them
    QList<QPixmap> shots;
    QSize size;
    for (QWidget *w : windows) {
        shots << w->grab();
        size = QSize(size.width() + shots.last().width() + (shots.size() > 1 ? 12 : 0),
            std::max(size.height(), shots.last().height()));
    }
    QPixmap out(size);
    out.fill(Qt::darkGray);
    QPainter painter(&out);
    int x = 0;
    for (const QPixmap &shot : shots) {
        painter.drawPixmap(x, 0, shot);
        x += shot.width() + 12;
    }
    painter.end();
    QDir().mkpath(dir);
    if (!out.save(QDir(dir).filePath(name + u".png"_s)))
        qWarning("cannot write %s/%s.png", qPrintable(dir), qPrintable(name));
}

// Whether every console draws the server's metrics in some chart of the incident
// shown; the server's metric source answers on its clock, so a second of it passes.
bool chartsDrawn(TeamServerRig &rig, const QList<const Console *> &consoles)
{
    rig.wait(1s);
    return std::all_of(consoles.cbegin(), consoles.cend(), [](const Console *console) {
        const QList<MetricChart *> charts = console->charts();
        return std::any_of(charts.cbegin(), charts.cend(),
            [](const MetricChart *c) { return Console::plotted(c) > 10 && c->note().isEmpty(); });
    });
}

bool ranOrRuns(std::optional<IncidentState> s)
{
    return s == IncidentState::Executing || s == IncidentState::Verifying || s == IncidentState::Resolved;
}

// An event as a person reads it in the audit log: when, what, which incident, the sentence.
QString line(const EngineEvent &e)
{
    return u"%1 %2 %3 %4"_s.arg(toMillis(e.at)).arg(e.kindName(), e.incidentId, e.detail);
}

} // namespace

class TestTeamConsole : public QObject
{
    Q_OBJECT

    SelfSignedCertificate m_certificate;

private Q_SLOTS:
    void initTestCase() { QVERIFY2(m_certificate.ok(), qPrintable(m_certificate.error)); }

    void twoConsolesOneProposal()
    {
        TeamServerRig rig(m_certificate);
        Console alice(rig, m_certificate, u"alice"_s);
        Console bob(rig, m_certificate, u"bob"_s);
        QTRY_VERIFY(alice.connected());
        QTRY_VERIFY(bob.connected());
        // Whose engine this is, where a tired engineer looks first.
        QVERIFY2(
            alice.window->windowTitle().contains(u"team server 127.0.0.1:"_s), qPrintable(alice.window->windowTitle()));
        QVERIFY(!alice.bannerShown());

        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY2(incident, "the demo's region failover never waited for approval");
        QTRY_VERIFY(alice.clickRow(incident->id));
        QTRY_VERIFY(bob.clickRow(incident->id));
        QTRY_VERIFY(alice.approve()->isEnabled());
        QTRY_VERIFY(bob.approve()->isEnabled());
        QVERIFY2(
            alice.window->windowTitle().contains(u"1 waiting for approval"_s), qPrintable(alice.window->windowTitle()));
        // The charts show the server's metrics: the last fifteen minutes on its clock.
        QTRY_VERIFY(chartsDrawn(rig, { &alice, &bob }));
        for (const MetricChart *chart : alice.charts())
            QVERIFY2(!chart->note().contains(u"No data"_s), qPrintable(chart->title() + u": "_s + chart->note()));
        screenshot(u"team-two-consoles"_s, { alice.window.get(), bob.window.get() });
        screenshot(u"team-console-charts"_s, { alice.window.get() });

        rig.wait(3min); // Alice reads the blast radius and the steps
        alice.reviewIfReplanned();
        QTRY_VERIFY(alice.approve()->isEnabled());
        QTest::mouseClick(alice.approve(), Qt::LeftButton);

        QTRY_VERIFY(ranOrRuns(rig.run->engine().incident(incident->id)->state));
        QTRY_VERIFY(ranOrRuns(alice.state(incident->id)));
        QTRY_VERIFY(ranOrRuns(bob.state(incident->id)));
        // Bob's console: the plan no longer waits, and it says who approved it.
        QTRY_VERIFY(!bob.approve()->isEnabled());
        QTRY_VERIFY2(bob.reason().contains(u"alice"_s), qPrintable(bob.reason()));

        for (int i = 0; i < 120 && rig.run->engine().incident(incident->id)->state != IncidentState::Resolved; ++i)
            rig.wait(5s);
        QCOMPARE(rig.run->engine().incident(incident->id)->state, IncidentState::Resolved);
        QTRY_COMPARE(alice.state(incident->id), IncidentState::Resolved);
        QTRY_COMPARE(bob.state(incident->id), IncidentState::Resolved);
        QVERIFY(!bob.approve()->isEnabled());
        QCOMPARE(alice.link->feed().skipped(), 0);
    }

    // A checklist requested from one console and approved from another: alice's card
    // says it is hers to wait on, bob's that it waits for him; bob reads it for minutes,
    // approves, and it runs once, in his name.
    void aRunRequestedHereIsApprovedThere()
    {
        TeamServerRig rig(m_certificate);
        antibody::test::makeChecklist(rig.run->engine(), u"region-failover"_s);
        Console alice(rig, m_certificate, u"alice"_s);
        Console bob(rig, m_certificate, u"bob"_s);
        QTRY_VERIFY(alice.connected());
        QTRY_VERIFY(bob.connected());
        const auto shown = rig.untilShown(u"region-failover"_s);
        QVERIFY2(shown, "the region runbook never showed its checklist");
        const auto region = rig.run->engine().incident(shown->incidentId);
        QTRY_VERIFY(alice.clickRow(region->id));
        QTRY_VERIFY(bob.clickRow(region->id));
        auto *request = child<QPushButton>(alice.window.get(), u"requestRunButton"_s);
        QTRY_VERIFY(request->isVisible());
        QVERIFY(!alice.approve()->isEnabled());

        rig.wait(2min); // she reads the checklist
        QTest::mouseClick(request, Qt::LeftButton);
        auto *why = child<QLineEdit>(alice.window.get(), u"denyReason"_s);
        QTRY_VERIFY(why->isVisible());
        QTest::keyClicks(why, u"us-east-1 is failing; by hand this takes 20 minutes"_s);
        QTest::keyClick(why, Qt::Key_Return);
        QTRY_VERIFY(
            rig.run->engine().proposal(rig.run->engine().incident(region->id)->proposalId)->requestedBy == u"alice"_s);
        rig.wait(5s); // planned again on fresh data, then it waits
        QTRY_COMPARE(alice.approve()->text(), u"Requested by you"_s);
        QVERIFY(!alice.approve()->isEnabled());
        bob.reviewIfReplanned();
        QTRY_VERIFY2(bob.approve()->isEnabled(), qPrintable(bob.reason()));
        screenshot(u"team-requested-run"_s, { alice.window.get(), bob.window.get() });

        rig.wait(4min); // bob reads the request and the blast radius
        bob.reviewIfReplanned();
        QTRY_VERIFY2(bob.approve()->isEnabled(), qPrintable(bob.reason()));
        QTest::mouseClick(bob.approve(), Qt::LeftButton);
        QTRY_VERIFY(ranOrRuns(rig.run->engine().incident(region->id)->state));
        const auto run = rig.store->findExecution(rig.run->engine().incident(region->id)->proposalId);
        QVERIFY(run);
        QCOMPARE(run->approvedBy, u"bob"_s);
        QTRY_VERIFY2(alice.reason().contains(u"bob"_s), qPrintable(alice.reason()));
    }

    // Two approvals from two consoles, minutes apart: each card says who approved, when,
    // and how many more are needed, then both names as it executes; each says who else
    // has the incident open, and stops saying it when that console goes.
    void twoApproversAndWhoLooks()
    {
        TeamServerRig rig(m_certificate);
        rig.run->engine().setApprovalsForTier([](Tier) { return 2; }); // four eyes on every plan
        Console alice(rig, m_certificate, u"alice"_s);
        Console bob(rig, m_certificate, u"bob"_s);
        QTRY_VERIFY(alice.connected());
        QTRY_VERIFY(bob.connected());
        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY2(incident, "the demo's region failover never waited for approval");
        QTRY_VERIFY(alice.clickRow(incident->id));
        QTRY_VERIFY(alice.approve()->isEnabled());
        QCOMPARE(alice.viewers(), QString()); // nobody else yet, and never herself
        QTRY_VERIFY(bob.clickRow(incident->id));
        QTRY_VERIFY2(bob.viewers().contains(u"Also looking: alice"_s), qPrintable(bob.viewers()));
        QTRY_VERIFY2(alice.viewers().contains(u"Also looking: bob"_s), qPrintable(alice.viewers()));
        QVERIFY2(alice.approvals().contains(u"Approvals 0 of 2"_s), qPrintable(alice.approvals()));
        // Why it waits says the policy's number, not the runbook's one click.
        QVERIFY2(alice.shownText(u"proposalReasons"_s).contains(u"waits for 2 distinct people to approve it"_s),
            qPrintable(alice.shownText(u"proposalReasons"_s)));

        rig.wait(3min); // Alice reads the plan
        alice.reviewIfReplanned();
        bob.reviewIfReplanned();
        QTRY_VERIFY(alice.approve()->isEnabled());
        QTest::mouseClick(alice.approve(), Qt::LeftButton);
        // Bob reads who approved, when, and that one more person is needed: him.
        QTRY_VERIFY2(bob.approvals().contains(u"Approvals 1 of 2: alice at "_s), qPrintable(bob.approvals()));
        QVERIFY2(bob.approvals().contains(u"1 more approval needed"_s), qPrintable(bob.approvals()));
        QTRY_COMPARE(bob.reason(), u"Approved by alice; 1 more approval needed."_s);
        QTRY_COMPARE(alice.reason(), u"Approved by alice; 1 more approval needed."_s);
        QVERIFY(!alice.approve()->isEnabled()); // hers is in
        QVERIFY2(alice.shownText(u"proposalMode"_s).contains(u"Waits for another person&#x27;s approval"_s)
                || alice.shownText(u"proposalMode"_s).contains(u"Waits for another person's approval"_s),
            qPrintable(alice.shownText(u"proposalMode"_s)));
        QVERIFY(bob.approve()->isEnabled());
        QVERIFY(!ranOrRuns(rig.run->engine().incident(incident->id)->state));

        rig.wait(2min); // Bob reads it too: the card keeps the time and counts the minutes
        QTRY_VERIFY2(bob.approvals().contains(u" ago)"_s), qPrintable(bob.approvals()));
        screenshot(u"team-two-approvers"_s, { alice.window.get(), bob.window.get() });
        QTest::mouseClick(bob.approve(), Qt::LeftButton);
        QTRY_VERIFY(ranOrRuns(rig.run->engine().incident(incident->id)->state));
        QTRY_VERIFY2(alice.approvals().contains(u"Approvals 2 of 2: alice at "_s), qPrintable(alice.approvals()));
        QVERIFY2(alice.approvals().contains(u", bob at "_s), qPrintable(alice.approvals()));
        QTRY_VERIFY2(alice.reason().contains(u"Approved by alice and bob"_s), qPrintable(alice.reason()));
        QVERIFY(rig.stored(u"approved"_s, incident->id, u"alice approved"_s));
        QVERIFY(rig.stored(u"approved"_s, incident->id, u"bob approved"_s));

        // Alice's console goes: Bob's card stops naming her.
        alice.link->stop();
        QTRY_COMPARE(bob.viewers(), QString());
        QCOMPARE(alice.link->feed().skipped(), 0);
        QCOMPARE(bob.link->feed().skipped(), 0);
    }

    // With a policy, each console is told what its person may approve: Carol, who may
    // look but not approve the region failover, sees it below, dimmed, with the reason;
    // Alice sees it first.
    void theQueueShowsWhatWaitsForYou()
    {
        TeamServerRig rig(m_certificate);
        QFile file(rig.dir.filePath(u"policy.yaml"_s));
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("rules:\n  - allow: [view]\n    subjects: [\"*\"]\n  - allow: [approve, deny]\n"
                   "    subjects: [alice]\n");
        file.close();
        QStringList problems;
        QVERIFY2(rig.server->access().load(file.fileName(), &problems), qPrintable(problems.join(u"\n"_s)));
        Console alice(rig, m_certificate, u"alice"_s);
        Console carol(rig, m_certificate, u"carol"_s);
        QTRY_VERIFY(alice.connected());
        QTRY_VERIFY(carol.connected());
        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY(incident);
        const auto notYours = [&](Console &c) {
            c.models.flush();
            const int row = c.models.incidents()->rowOf(incident->id);
            return row < 0 ? u"?"_s : c.models.incidents()->index(row, 0).data(IncidentModel::NotYoursRole).toString();
        };
        QTRY_VERIFY2(notYours(carol).startsWith(u"refused by the policy: no rule allows carol to approve"_s),
            qPrintable(notYours(carol)));
        QCOMPARE(notYours(alice), QString());
        QCOMPARE(alice.models.proposals()->waiting().first().incidentId, incident->id);
        QTRY_VERIFY(carol.clickRow(incident->id));
        // Her card says so where she would click: not hers, and why.
        QTRY_COMPARE(carol.approve()->text(), u"Not yours to approve"_s);
        QVERIFY(!carol.approve()->isEnabled());
        QVERIFY2(carol.reason().startsWith(u"Waits for someone else's approval: refused by the policy: "_s),
            qPrintable(carol.reason()));
        QVERIFY2(carol.shownText(u"proposalMode"_s).contains(u"Waits for another person"_s),
            qPrintable(carol.shownText(u"proposalMode"_s)));
        QTRY_VERIFY(alice.clickRow(incident->id));
        QTRY_VERIFY(alice.approve()->isEnabled());
        screenshot(u"team-not-yours"_s, { carol.window.get() });
    }

    void theServerGoesAwayAndComesBack()
    {
        TeamServerRig rig(m_certificate);
        Console carol(rig, m_certificate, u"carol"_s);
        QTRY_VERIFY(carol.connected());
        const auto incident = rig.untilWaiting(u"region-failover"_s);
        QVERIFY(incident);
        QTRY_VERIFY(carol.clickRow(incident->id));
        QTRY_VERIFY(carol.approve()->isEnabled());

        // The lease changes hands and this server stands by: Approve says so, and who leads.
        rig.server->setRole(ServerRole { false, 2, u"antibody-server bob@db2 (pid 4711)"_s });
        QTRY_COMPARE(carol.approve()->text(), u"Standing by"_s);
        QVERIFY(!carol.approve()->isEnabled());
        QVERIFY2(carol.reason().contains(u"stands by; the leader is antibody-server bob@db2 (pid 4711)"_s),
            qPrintable(carol.reason()));
        QVERIFY2(carol.bannerShown() && carol.bannerText().contains(u"stands by"_s), qPrintable(carol.bannerText()));
        screenshot(u"team-standby"_s, { carol.window.get() });
        rig.server->setRole(ServerRole {}); // and leads again
        QTRY_VERIFY(carol.approve()->isEnabled());
        QTRY_VERIFY(!carol.bannerShown());

        const quint16 port = rig.stopServer();
        // Within the heartbeat window (two heartbeats of 500 ms), whatever the TCP stack noticed.
        QTRY_VERIFY_WITH_TIMEOUT(carol.bannerShown(), 1'500);
        QVERIFY2(carol.bannerText().contains(u"Disconnected from the team server"_s), qPrintable(carol.bannerText()));
        QVERIFY2(carol.bannerText().contains(u"Trying again"_s) || carol.bannerText().contains(u"Trying to connect"_s),
            qPrintable(carol.bannerText()));
        QVERIFY(!carol.approve()->isEnabled());
        QCOMPARE(carol.approve()->text(), u"Disconnected"_s);
        QVERIFY2(carol.reason().contains(u"Disconnected from the team server"_s), qPrintable(carol.reason()));
        QVERIFY2(carol.window->windowTitle().contains(u"DISCONNECTED"_s), qPrintable(carol.window->windowTitle()));
        screenshot(u"team-reconnecting"_s, { carol.window.get() });

        rig.wait(2min); // the incident goes on without the server's clients
        const qint64 seenBefore = carol.link->feed().lastSeq();
        QVERIFY(!rig.storedSeqsAfter(seenBefore).isEmpty());

        rig.startServer(port);
        QTRY_VERIFY_WITH_TIMEOUT(carol.connected(), 20'000); // backoff: 1 s, 2 s, 4 s...
        QTRY_VERIFY(!carol.bannerShown());
        QTRY_VERIFY(carol.approve()->isEnabled() || !rig.waiting(u"region-failover"_s));
        rig.wait(1min);

        // Every event the store holds, once, in order: none lost across the gap, none doubled.
        const QList<AuditLog::StoredEvent> stored = rig.store->eventsAfter(0, 100'000);
        QTRY_COMPARE(carol.link->feed().lastSeq(), stored.last().seq);
        QStringList expected;
        for (const AuditLog::StoredEvent &s : stored) {
            if (const auto kind = RecordJson::kindFromName(s.kind)) // the store's own rows are not engine events
                expected << line(EngineEvent::make(*kind, s.at, s.incidentId, s.detail, s.data));
        }
        carol.models.flush();
        QStringList shown;
        for (int row = 0; row < carol.models.events()->rowCount(); ++row)
            shown << line(carol.models.events()->event(row));
        QVERIFY(shown.size() > 20);
        QCOMPARE(shown, expected);
        QCOMPARE(carol.link->feed().eventsReceived(), int(expected.size()));
    }
};

} // namespace antibody::e2e

QTEST_MAIN(antibody::e2e::TestTeamConsole)
#include "tst_teamconsole.moc"
