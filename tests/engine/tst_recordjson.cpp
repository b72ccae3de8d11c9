// The engine's records as JSON and back: what a console far from the engine reads
// (docs/team.md). Everything a proposal card shows survives the round trip, so the
// fingerprint a remote person approves is the plan they read; hostile or foreign
// objects are refused with a reason, never half-read into a record.
#include "engine/domain/recordjson.h"
#include "storefixtures.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using fixtures::at;

class TestRecordJson : public QObject
{
    Q_OBJECT

    static Proposal fullProposal()
    {
        Proposal p = fixtures::proposal(u"INC-7-P2"_s, u"INC-7"_s, at(10), 2, u"carol"_s);
        p.plan.dataAsOf = at(8);
        p.plan.skipped = { u"scale_out: diagnose.cause is leak"_s };
        p.plan.steps.first().tier = Tier::Approve;
        p.plan.steps.first().condition = u"diagnose.cause == 'leak'"_s;
        p.plan.steps.first().maxCycles = 4;
        p.plan.steps.first().explanation = u"frees the slots the leak holds"_s;
        p.plan.steps.first().blastRadius->cap = *Cap::parse(u"15%");
        p.plan.steps.first().blastRadius->cycles = 4;
        p.guardrails << GuardrailResult::of(GuardrailResult::Check::RunbookGuard, GuardrailResult::Verdict::Block,
            u"a migration runs"_s, u"migration_running"_s);
        p.approvals << Approval { p.id, p.plan.fingerprint, u"alice"_s, at(20), true, u"read it"_s };
        p.state = Proposal::State::Approved;
        return p;
    }

    static QByteArray text(const QJsonObject &o) { return QJsonDocument(o).toJson(QJsonDocument::Compact); }

private Q_SLOTS:
    void aProposalSurvivesWhole()
    {
        const Proposal p = fullProposal();
        QString error;
        const auto back = RecordJson::proposalFrom(RecordJson::proposal(p), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(text(RecordJson::proposal(*back)), text(RecordJson::proposal(p)));
        // What a person approves is what they read: the fingerprint computed again agrees.
        QCOMPARE(back->plan.computeFingerprint(), p.plan.computeFingerprint());
        QCOMPARE(back->plan.fingerprint, p.plan.fingerprint);
        QCOMPARE(back->plan.steps.first().blastRadius->summary(), p.plan.steps.first().blastRadius->summary());
        QCOMPARE(back->guardrails.size(), 2);
        QCOMPARE(back->guardrails.at(1).check, GuardrailResult::Check::RunbookGuard);
        QCOMPARE(back->guardrails.at(1).name, u"runbook_guard:migration_running"_s);
        QCOMPARE(back->guardrails.at(1).verdict, GuardrailResult::Verdict::Block);
        QCOMPARE(back->approvals.first().approver, u"alice"_s);
        QCOMPARE(back->requestedBy, u"carol"_s);
        QCOMPARE(back->expiresAt, p.expiresAt);
        QCOMPARE(back->plan.dataAsOf, at(8));
    }

    void anIncidentSurvivesWhole()
    {
        Incident i = fixtures::incident(u"INC-7"_s, at(0));
        i.annotations = { { u"summary"_s, u"pool at 100%"_s } };
        i.history << Transition { IncidentState::AwaitingApproval, at(12), u"waits for a person"_s };
        i.state = IncidentState::Resolved;
        i.resolvedAt = at(90);
        i.diagnostics = QJsonObject { { u"pool"_s, QJsonObject { { u"used"_s, 100 } } } };
        i.facts = { { u"diagnose.cause"_s, u"leak"_s } };
        i.guards = { Guard::DataCorruption };
        i.proposalId = u"INC-7-P2"_s;
        i.alertsResolved = true;
        QString error;
        const auto back = RecordJson::incidentFrom(RecordJson::incident(i), &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(text(RecordJson::incident(*back)), text(RecordJson::incident(i)));
        QCOMPARE(back->history.last().state, IncidentState::AwaitingApproval);
        QVERIFY(back->guards.contains(Guard::DataCorruption));
        QCOMPARE(back->resolvedAt, std::optional(at(90)));
    }

    void breakersFeedsAndEventsSurvive()
    {
        BreakerState b { u"pod-crashloop-restart"_s, BreakerState::State::Open, { at(1), at(2), at(3) }, at(3),
            u"3 failures in 10 min"_s };
        QString error;
        const auto breaker = RecordJson::breakerFrom(RecordJson::breaker(b), &error);
        QVERIFY(breaker);
        QCOMPARE(text(RecordJson::breaker(*breaker)), text(RecordJson::breaker(b)));
        const FeedHealth f { u"alertmanager http://127.0.0.1:9093"_s, FeedHealth::State::Degraded, u"slow"_s, at(5) };
        const auto feed = RecordJson::feedFrom(RecordJson::feed(f), &error);
        QVERIFY(feed);
        QCOMPARE(feed->state, FeedHealth::State::Degraded);
        const auto event = RecordJson::eventFrom(
            QJsonObject { { u"seq"_s, 42 }, { u"at"_s, toMillis(at(7)) }, { u"kind"_s, u"step_finished"_s },
                { u"incident"_s, u"INC-7"_s }, { u"detail"_s, u"kill_idle pass 1"_s } },
            &error);
        QVERIFY2(event, qPrintable(error));
        QCOMPARE(event->kind, EngineEvent::Kind::StepFinished);
        QCOMPARE(event->at, at(7));
        for (int k = 0; k <= static_cast<int>(EngineEvent::lastKind); ++k) {
            const auto kind = static_cast<EngineEvent::Kind>(k);
            QCOMPARE(RecordJson::kindFromName(EngineEvent::kindName(kind)), std::optional(kind));
        }
    }

    void foreignObjectsAreRefusedWithAReason_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("says");
        QTest::addRow("proposal without id") << QByteArray(R"({"plan": {"fingerprint": "f"}})") << u"without \"id\""_s;
        QTest::addRow("id of the wrong type") << QByteArray(R"({"id": 7})") << u"without \"id\""_s;
        QTest::addRow("plan without fingerprint")
            << QByteArray(R"({"id": "P", "plan": {}, "mode": "approve", "state": "pending"})")
            << u"without \"fingerprint\""_s;
        QTest::addRow("unknown mode") << QByteArray(
            R"({"id": "P", "plan": {"fingerprint": "f"}, "mode": "yolo", "state": "pending"})")
                                      << u"unknown mode 'yolo'"_s;
        QTest::addRow("unknown state") << QByteArray(
            R"({"id": "P", "plan": {"fingerprint": "f"}, "mode": "approve", "state": "maybe"})")
                                       << u"unknown state 'maybe'"_s;
    }

    void foreignObjectsAreRefusedWithAReason()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, says);
        QString error;
        QVERIFY(!RecordJson::proposalFrom(QJsonDocument::fromJson(json).object(), &error));
        QVERIFY2(error.contains(says), qPrintable(error));
    }

    // Wrong types inside a record read as the strictest value, never as a looser one.
    void oddValuesReadStrictly()
    {
        QJsonObject json = RecordJson::proposal(fullProposal());
        QJsonObject plan = json.value(u"plan"_s).toObject();
        QJsonArray steps = plan.value(u"steps"_s).toArray();
        QJsonObject step = steps.first().toObject();
        step.insert(u"tier"_s, u"relaxed"_s);
        step.insert(u"blast_radius"_s, QJsonArray { 1, 2 });
        steps.replace(0, step);
        steps.append(u"not a step"_s);
        plan.insert(u"steps"_s, steps);
        json.insert(u"plan"_s, plan);
        json.insert(u"guardrails"_s, QJsonArray { QJsonObject { { u"name"_s, u"made_up"_s } }, 3 });
        QString error;
        const auto back = RecordJson::proposalFrom(json, &error);
        QVERIFY2(back, qPrintable(error));
        QCOMPARE(back->plan.steps.first().tier, Tier::Never);
        QVERIFY(!back->plan.steps.first().blastRadius);
        QVERIFY(back->guardrails.isEmpty()); // nothing invented
        QVERIFY(!RecordJson::incidentFrom(
            QJsonObject { { u"id"_s, u"INC-1"_s }, { u"state"_s, u"awaiting approval"_s } }, &error));
        QVERIFY2(error.contains(u"unknown state"_s), qPrintable(error));
        QCOMPARE(RecordJson::breakerFrom(QJsonObject { { u"type"_s, u"x"_s }, { u"state"_s, u"?"_s } }, &error)->state,
            BreakerState::State::Open);
        QVERIFY(!RecordJson::eventFrom(QJsonObject { { u"seq"_s, 1 }, { u"kind"_s, u"sealed"_s } }, &error));
    }
};

QTEST_MAIN(TestRecordJson)
#include "tst_recordjson.moc"
