#include "models/activitymodel.h"
#include "tests/support/samples.h"

#include <QAbstractItemModelTester>
#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using Kind = EngineEvent::Kind;

namespace {
constexpr auto reportToQtTest = QAbstractItemModelTester::FailureReportingMode::QtTest;

QString headline(const ActivityModel &model, int row)
{
    return model.index(row, ActivityModel::HeadlineColumn).data().toString();
}
} // namespace

class TestActivityModel : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void levelThreeHealReadsHealedNotifiedAfter()
    {
        ActivityModel model;
        QAbstractItemModelTester tester(&model, reportToQtTest);
        model.noteIncident(samples::incident(u"INC-1"_s, u"orders-db"_s, IncidentState::Open, 3));
        model.append({ samples::event(Kind::Detected, 0, u"INC-1"_s, u"pool at 95%"_s),
            samples::event(Kind::StepStarted, 5, u"INC-1"_s, u"kill_idle"_s),
            samples::event(Kind::Resolved, 45, u"INC-1"_s, u"pool at 62%, below 70%"_s) });
        QCOMPARE(model.rowCount(), 1); // detection and steps belong to the incident's timeline
        QCOMPARE(headline(model, 0), u"Healed automatically in 45s"_s);
        QCOMPARE(model.index(0, ActivityModel::ServiceColumn).data().toString(), u"orders-db"_s);
        QCOMPARE(model.index(0, ActivityModel::DetailColumn).data().toString(), u"pool at 62%, below 70%"_s);

        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.append({ samples::event(Kind::Notified, 46, u"INC-1"_s, u"on-call notified"_s) });
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(changed.size(), 1);
        QCOMPARE(headline(model, 0), u"Healed automatically in 45s · on-call notified after"_s);
    }

    void noticeInTheSameBatchMarksTheHeal()
    {
        ActivityModel model;
        model.noteIncident(samples::incident(u"INC-1"_s, u"svc"_s));
        model.append(
            { samples::event(Kind::Resolved, 30, u"INC-1"_s), samples::event(Kind::Notified, 31, u"INC-1"_s) });
        QCOMPARE(headline(model, 0), u"Healed automatically in 30s · on-call notified after"_s);
    }

    void approvedResolutionNamesTheApprover()
    {
        ActivityModel model;
        QAbstractItemModelTester tester(&model, reportToQtTest);
        model.noteIncident(samples::incident(u"INC-2"_s, u"checkout-svc"_s, IncidentState::Open, 2));
        model.append({ samples::event(Kind::ApprovalRequested, 20, u"INC-2"_s, u"level 2 waits for approval"_s) });
        model.append({ samples::event(Kind::Approved, 80, u"INC-2"_s, {}, { { u"approver"_s, u"alice@laptop"_s } }),
            samples::event(Kind::Resolved, 200, u"INC-2"_s) });
        QCOMPARE(model.rowCount(), 3);
        // Newest first.
        QCOMPARE(headline(model, 0), u"Resolved in 3m 20s after alice@laptop approved"_s);
        QCOMPARE(headline(model, 1), u"Approved by alice@laptop"_s);
        QCOMPARE(headline(model, 2), u"Waiting for approval"_s);
        QCOMPARE(model.index(0, 0).data(ActivityModel::IncidentIdRole).toString(), u"INC-2"_s);
    }

    void breakerAndEscalationLines_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QString>("expected");
        QTest::addRow("breaker") << int(Kind::BreakerOpened) << u"Circuit breaker opened: automation halted"_s;
        QTest::addRow("escalation") << int(Kind::Escalated) << u"Escalated to on-call, diagnostics attached"_s;
        QTest::addRow("page") << int(Kind::Paged) << u"Paged on-call"_s;
        QTest::addRow("reset") << int(Kind::BreakerReset) << u"Circuit breaker reset"_s;
        QTest::addRow("interrupted") << int(Kind::Interrupted)
                                     << u"Interrupted mid-execution: outcome unknown, not re-run"_s;
    }

    void breakerAndEscalationLines()
    {
        QFETCH(int, kind);
        QFETCH(QString, expected);
        ActivityModel model;
        model.append(
            { samples::event(static_cast<Kind>(kind), 10, {}, u"why"_s, { { u"type"_s, u"restart-crashloop"_s } }) });
        QCOMPARE(model.rowCount(), 1);
        QCOMPARE(headline(model, 0), expected);
    }

    void aFoldedIncidentIsGroupedNotHealed()
    {
        ActivityModel model;
        model.noteIncident(samples::incident(u"INC-3"_s, u"search-svc"_s, IncidentState::Open, 0));
        model.append({ samples::event(Kind::Resolved, 60, u"INC-3"_s, u"resolved in 1m: grouped into INC-7"_s,
            { { u"grouped_into"_s, u"INC-7"_s } }) });
        QCOMPARE(headline(model, 0), u"Grouped into INC-7: the same problem"_s);
        QCOMPARE(model.index(0, 0).data(ActivityModel::KindRole).toInt(), int(ActivityEntry::Kind::Grouped));
    }

    void aPageNotSentAgainSaysSo()
    {
        ActivityModel model;
        model.append({ samples::event(Kind::Paged, 10, u"INC-4"_s, u"paged via pagerduty"_s),
            samples::event(Kind::Paged, 70, u"INC-4"_s, u"not paged again: INC-4 was already paged"_s,
                { { u"sent"_s, false } }) });
        QCOMPARE(headline(model, 0), u"Not paged again: on-call already has it"_s);
        QCOMPARE(headline(model, 1), u"Paged on-call"_s);
    }

    void keepsTheNewestWithinTheLimit()
    {
        ActivityModel model;
        QAbstractItemModelTester tester(&model, reportToQtTest);
        model.setLimit(3);
        for (int i = 0; i < 5; ++i)
            model.append({ samples::event(Kind::Paged, i, u"INC-%1"_s.arg(i)) });
        QCOMPARE(model.rowCount(), 3);
        QCOMPARE(model.index(0, 0).data(ActivityModel::IncidentIdRole).toString(), u"INC-4"_s);
        QCOMPARE(model.index(2, 0).data(ActivityModel::IncidentIdRole).toString(), u"INC-2"_s);
    }
};

QTEST_GUILESS_MAIN(TestActivityModel)
#include "tst_activitymodel.moc"
