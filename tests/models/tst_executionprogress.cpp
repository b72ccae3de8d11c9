#include "models/present/escalationbrief.h"
#include "models/present/executionprogress.h"
#include "tests/support/samples.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using Kind = EngineEvent::Kind;
using Status = StepProgress::Status;

namespace {

EngineEvent step(
    Kind kind, qint64 at, const QString &name, const QString &outcome = {}, int pass = 1, QStringList affected = {})
{
    // As the engine writes them: a pass number when a pass starts, the passes taken when the step finishes.
    QJsonObject data { { u"step"_s, name }, { kind == Kind::StepStarted ? u"pass"_s : u"passes"_s, pass } };
    if (!outcome.isEmpty())
        data.insert(u"outcome"_s, outcome);
    if (!affected.isEmpty())
        data.insert(u"affected"_s, QJsonArray::fromStringList(affected));
    return samples::event(kind, at, u"INC-1"_s, u"%1 %2"_s.arg(name, outcome), data);
}

QList<int> statuses(const ExecutionProgress &p)
{
    QList<int> out;
    for (const StepProgress &s : p.steps)
        out << int(s.status);
    return out;
}

} // namespace

// Execution progress from events, and the escalation brief built on it.
class TestExecutionProgress : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void followsTheStepsAsTheyRun_data()
    {
        QTest::addColumn<QList<EngineEvent>>("events");
        QTest::addColumn<QList<int>>("expected");
        QTest::addColumn<QString>("summary");
        const int P = int(Status::Pending), R = int(Status::Running), S = int(Status::Succeeded),
                  F = int(Status::Failed), K = int(Status::Skipped), T = int(Status::TimedOut);
        QTest::addRow("nothing yet") << QList<EngineEvent> {} << QList<int> { P, P, P, P } << u"0 of 4 steps done"_s;
        QTest::addRow("diagnosing") << QList<EngineEvent> { step(Kind::StepStarted, 1, u"diagnose"_s) }
                                    << QList<int> { R, P, P, P } << u"0 of 4 steps done · diagnose running"_s;
        QTest::addRow("second pass of a capped step") << QList<EngineEvent> { step(Kind::StepStarted, 1, u"diagnose"_s),
            step(Kind::StepFinished, 2, u"diagnose"_s, u"succeeded"_s), step(Kind::StepStarted, 3, u"reset_pool"_s),
            step(Kind::StepFinished, 4, u"reset_pool"_s, u"succeeded"_s, 1, { u"checkout-svc-1"_s }),
            step(Kind::StepStarted, 9, u"reset_pool"_s, {}, 2) }
                                                      << QList<int> { S, R, P, P }
                                                      << u"1 of 4 steps done · reset_pool pass 2 running"_s;
        QTest::addRow("healed, page skipped")
            << QList<EngineEvent> { step(Kind::StepFinished, 2, u"diagnose"_s, u"succeeded"_s),
                   step(Kind::StepFinished, 4, u"reset_pool"_s, u"succeeded"_s),
                   step(Kind::StepFinished, 30, u"verify_recovery"_s, u"succeeded"_s),
                   step(Kind::StepSkipped, 31, u"escalate_if_failed"_s) }
            << QList<int> { S, S, S, K } << u"4 of 4 steps done"_s;
        QTest::addRow("verify timed out, unknown outcome is a failure")
            << QList<EngineEvent> { step(Kind::StepFinished, 30, u"verify_recovery"_s, u"timed_out"_s),
                   step(Kind::StepFinished, 31, u"escalate_if_failed"_s, u"exploded"_s) }
            << QList<int> { P, P, T, F } << u"2 of 4 steps done"_s;
        QTest::addRow("events of unknown steps are ignored")
            << QList<EngineEvent> { step(Kind::StepStarted, 1, u"not_in_plan"_s) } << QList<int> { P, P, P, P }
            << u"0 of 4 steps done"_s;
        EngineEvent diagnosis = step(Kind::StepFinished, 1, u"diagnose"_s, u"succeeded"_s);
        diagnosis.data.insert(u"phase"_s, u"diagnosis"_s);
        QTest::addRow("diagnosis before the plan is not execution")
            << QList<EngineEvent> { diagnosis } << QList<int> { P, P, P, P } << u"0 of 4 steps done"_s;
    }

    void followsTheStepsAsTheyRun()
    {
        QFETCH(QList<EngineEvent>, events);
        QFETCH(QList<int>, expected);
        QFETCH(QString, summary);
        const auto progress = ExecutionProgress::of(samples::poolPlan(u"INC-1"_s), events);
        QCOMPARE(statuses(progress), expected);
        QCOMPARE(progress.summary(), summary);
    }

    void collectsWhatEachPassTouched()
    {
        const auto progress = ExecutionProgress::of(samples::poolPlan(u"INC-1"_s),
            { step(Kind::StepFinished, 4, u"reset_pool"_s, u"succeeded"_s, 1, { u"checkout-svc-1"_s }),
                step(Kind::StepFinished, 9, u"reset_pool"_s, u"succeeded"_s, 2,
                    { u"checkout-svc-2"_s, u"checkout-svc-1"_s }) });
        QCOMPARE(progress.steps.at(1).affected, (QStringList { u"checkout-svc-1"_s, u"checkout-svc-2"_s }));
        QCOMPARE(progress.steps.at(1).pass, 2);
    }

    void escalationBriefPutsTheReasonFirst()
    {
        Incident incident = samples::incident(u"INC-9"_s, u"orders-db"_s, IncidentState::Escalated, 3);
        incident.title = u"DataCorruptionSuspected"_s;
        incident.history.back().reason = u"a never-automate guard holds: data corruption"_s;
        incident.guards.insert(Guard::DataCorruption);
        incident.facts.insert(u"diagnose.cause"_s, u"unknown"_s);
        incident.diagnostics = QJsonObject { { u"metrics"_s, QJsonObject { { u"db_pool_utilization"_s, 0.97 } } },
            { u"targets"_s, QJsonArray { u"orders-db-primary"_s, u"orders-db-replica-1"_s } } };
        incident.annotations.insert(u"summary"_s, u"checksum mismatch on orders"_s);
        Proposal proposal = samples::proposal(u"P-9"_s, samples::poolPlan(u"INC-9"_s), Mode::Blocked);
        proposal.guardrails << samples::guardrail(
            u"never_automate"_s, GuardrailResult::Verdict::Block, u"data_corruption holds for orders-db"_s);
        const auto brief = EscalationBrief::of(incident, proposal, ExecutionProgress::of(proposal.plan, {}));

        QCOMPARE(brief.headline, u"orders-db: escalated — a never-automate guard holds: data corruption"_s);
        QCOMPARE(brief.sections.size(), 4);
        QCOMPARE(brief.sections.at(0).title, u"Why you were paged"_s);
        QCOMPARE(brief.sections.at(0).lines,
            (QStringList { u"a never-automate guard holds: data corruption"_s, guardReason(Guard::DataCorruption),
                u"data_corruption holds for orders-db"_s }));
        QCOMPARE(brief.sections.at(1).lines,
            QStringList { u"Nothing was executed: state is preserved as it was when the alert fired."_s });
        QVERIFY(brief.sections.at(2).lines.contains(u"cause not known"_s));
        QVERIFY(brief.sections.at(2).lines.contains(u"metrics.db_pool_utilization: 0.97"_s));
        QVERIFY(brief.sections.at(2).lines.contains(u"targets: orders-db-primary, orders-db-replica-1"_s));
        QVERIFY(brief.sections.at(3).lines.contains(u"summary: checksum mismatch on orders"_s));
        const QString text = brief.toPlainText();
        QVERIFY(text.startsWith(brief.headline + u"\n\nWhy you were paged\n  a never-automate"_s));
    }

    void escalationBriefSaysWhatWasTried()
    {
        Incident incident = samples::incident(u"INC-1"_s, u"checkout-svc"_s, IncidentState::Escalated, 3);
        const Plan plan = samples::poolPlan(u"INC-1"_s);
        const auto progress = ExecutionProgress::of(plan,
            { step(Kind::StepFinished, 4, u"reset_pool"_s, u"succeeded"_s, 3, { u"checkout-svc-1"_s }),
                step(Kind::StepFinished, 30, u"verify_recovery"_s, u"timed_out"_s) });
        const auto brief = EscalationBrief::of(incident, std::nullopt, progress);
        const QStringList tried = brief.sections.at(1).lines;
        QCOMPARE(tried.size(), 4);
        QCOMPARE(tried.at(1),
            u"reset_pool (reset_connection_pool): succeeded, 3 passes — touched checkout-svc-1 — reset_pool succeeded"_s);
        QVERIFY(tried.at(2).startsWith(u"verify_recovery (wait_for_metric): timed out"_s));
        QCOMPARE(brief.sections.at(2).lines, QStringList { u"No diagnostics were collected."_s });
    }

    void escalationBriefSaysWhatTheDiagnosisFound()
    {
        Incident incident = samples::incident(u"INC-4"_s, u"api-gateway"_s, IncidentState::Escalated, 2);
        samples::addErrorRateReading(incident);
        incident.facts.insert(u"diagnose.pool_size"_s, 20);
        incident.diagnostics.insert(u"facts"_s, QJsonObject::fromVariantMap(incident.facts));
        const Runbook runbook = samples::errorRateRunbook();
        const auto brief = EscalationBrief::of(incident, std::nullopt, ExecutionProgress {}, &runbook);
        const QStringList found = brief.sections.at(2).lines;
        QCOMPARE(found.value(0), u"error rate 31.7% (max 51.3% over 10 min), read 5 s ago"_s);
        QCOMPARE(found.value(1), u"pool_size = 20"_s);
        // What the sentences said is not listed again; when it was read is.
        QCOMPARE(found.mid(2), QStringList { u"steps.diagnose.at: 2026-12-02T03:03:05.000Z"_s });
        const QString text = brief.toPlainText();
        for (const QString &bookkeeping : { u"age_seconds"_s, u"succeeded"_s, u"points"_s, u"diagnose.max"_s })
            QVERIFY2(!text.contains(bookkeeping), qPrintable(text));
    }
};

QTEST_GUILESS_MAIN(TestExecutionProgress)
#include "tst_executionprogress.moc"
