#include "engine/domain/plan.h"

#include <QTest>

using namespace Qt::StringLiterals;
using antibody::BlastRadius;
using antibody::Cap;
using antibody::Plan;
using antibody::PlannedStep;

namespace {

BlastRadius checkoutRadius(QStringList chosen)
{
    BlastRadius b;
    b.dimension = u"pods"_s;
    b.scope = u"checkout-svc"_s;
    b.fleet = { u"checkout-1"_s, u"checkout-2"_s, u"checkout-3"_s, u"checkout-4"_s, u"checkout-5"_s };
    b.candidates = { u"checkout-1"_s, u"checkout-2"_s, u"checkout-3"_s };
    b.chosen = std::move(chosen);
    b.cap = *Cap::parse(u"2");
    b.capCount = 2;
    b.cycles = 2;
    b.leftServing = b.fleetSize() - b.affected();
    return b;
}

Plan checkoutPlan(QStringList chosen = { u"checkout-1"_s, u"checkout-2"_s })
{
    Plan p;
    p.runbook = u"checkout-pool-saturation"_s;
    p.runbookHash = "abc";
    p.incidentId = u"INC-1"_s;
    p.service = u"checkout-svc"_s;
    PlannedStep reset;
    reset.name = u"reset_pool"_s;
    reset.action = u"reset_connection_pool"_s;
    reset.effect = antibody::Effect::Mutates;
    reset.params = { { u"drain_timeout"_s, 30000 } };
    reset.blastRadius = checkoutRadius(std::move(chosen));
    p.steps << reset;
    p.fingerprint = p.computeFingerprint();
    return p;
}

} // namespace

class TestPlan : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void summaryReadsLikeThePreview()
    {
        QCOMPARE(checkoutRadius({ u"checkout-1"_s, u"checkout-2"_s }).summary(),
            u"2 of 5 pods · 40% · cap 2 per cycle · 2 cycles · 3 left serving"_s);
    }

    void fingerprintIsDeterministic()
    {
        QCOMPARE(checkoutPlan().fingerprint, checkoutPlan().fingerprint);
        QCOMPARE(checkoutPlan().fingerprint.size(), 64);
    }

    void fingerprintBindsTargetsAndParams()
    {
        const Plan original = checkoutPlan();
        const Plan otherTargets = checkoutPlan({ u"checkout-1"_s, u"checkout-3"_s });
        QVERIFY(original.fingerprint != otherTargets.fingerprint);
        Plan otherParams = checkoutPlan();
        otherParams.steps[0].params[u"drain_timeout"_s] = 5000;
        QVERIFY(original.fingerprint != otherParams.computeFingerprint());
        Plan edited = checkoutPlan();
        edited.runbookHash = "def";
        QVERIFY(original.fingerprint != edited.computeFingerprint());
    }

    void differencesSayWhatChanged()
    {
        const Plan older = checkoutPlan();
        const Plan newer = checkoutPlan({ u"checkout-1"_s, u"checkout-3"_s });
        const QStringList diff = newer.differencesFrom(older);
        QCOMPARE(diff.size(), 1);
        QVERIFY2(
            diff.front().contains(u"checkout-2"_s) && diff.front().contains(u"checkout-3"_s), qPrintable(diff.front()));
        QVERIFY(older.differencesFrom(older).isEmpty());
    }

    void mutatingSteps()
    {
        Plan p = checkoutPlan();
        PlannedStep verify;
        verify.name = u"verify"_s;
        verify.action = u"wait_for_metric"_s;
        p.steps << verify;
        QCOMPARE(p.mutatingSteps(), QStringList { u"reset_pool"_s });
    }
};

QTEST_GUILESS_MAIN(TestPlan)
#include "tst_plan.moc"
