// What each client is told of a proposal it may or may not approve: `may_approve` from
// the policy in force (approve, on the plan's service, runbook and tier), and the reason
// when not, so that its approval queue shows first what waits for its person.
#include "server/mayapprove.h"
#include "server/wire.h"

#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

const QByteArray policy = R"(groups:
  sre: [alice, bob]
  viewers: [carol]
rules:
  - allow: [view]
    subjects: ["group:sre", "group:viewers"]
  - allow: [approve, deny]
    subjects: ["group:sre"]
  - deny: [approve]
    subjects: [bob]
    runbooks: ["region-*"]
)";

Proposal regionFailover()
{
    Proposal p;
    p.id = u"P-1"_s;
    p.incidentId = u"INC-1"_s;
    p.plan.service = u"api-gateway"_s;
    p.plan.runbook = u"region-failover"_s;
    p.plan.fingerprint = u"f00d"_s;
    PlannedStep shift;
    shift.name = u"shift_traffic"_s;
    shift.tier = Tier::Approve;
    p.plan.steps << shift;
    return p;
}

} // namespace

class TestMayApprove : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

private Q_SLOTS:
    void eachPersonIsToldWhetherTheyMay_data()
    {
        QTest::addColumn<QString>("who");
        QTest::addColumn<QString>("requestedBy");
        QTest::addColumn<bool>("may");
        QTest::addColumn<QString>("reason");
        QTest::addRow("an SRE") << u"alice"_s << QString() << true << QString();
        QTest::addRow("a viewer") << u"carol"_s << QString() << false << u"refused by the policy: "_s;
        QTest::addRow("denied this runbook") << u"bob"_s << QString() << false << u"refused by the policy: "_s;
        QTest::addRow("the requester") << u"alice"_s << u"alice"_s << false
                                       << u"alice requested this action and cannot also approve it"_s;
    }

    void eachPersonIsToldWhetherTheyMay()
    {
        QFETCH(QString, who);
        QFETCH(QString, requestedBy);
        QFETCH(bool, may);
        QFETCH(QString, reason);
        QFile file(m_dir.filePath(u"policy.yaml"_s));
        QVERIFY(file.open(QIODevice::WriteOnly) && file.write(policy) == policy.size());
        file.close();
        TeamAccess access;
        QStringList problems;
        QVERIFY2(access.load(file.fileName(), &problems), qPrintable(problems.join(u"\n"_s)));

        Proposal p = regionFailover();
        p.requestedBy = requestedBy;
        const QJsonObject sent = proposalFor(wire::proposal(p), p, &access, ClientIdentity { who, {}, {} });
        QCOMPARE(sent.value(u"may_approve"_s).toBool(), may);
        QVERIFY2(sent.value(u"may_approve_reason"_s).toString().startsWith(reason),
            qPrintable(sent.value(u"may_approve_reason"_s).toString()));
        QCOMPARE(sent.contains(u"may_approve_reason"_s), !may);
        QCOMPARE(sent.value(u"id"_s).toString(), u"P-1"_s); // the record itself, unchanged
    }

    // No policy in force: everyone may, as before the policy existed.
    void withoutAPolicyEveryoneMay()
    {
        const Proposal p = regionFailover();
        QVERIFY(proposalFor(wire::proposal(p), p, nullptr, ClientIdentity { u"carol"_s, {}, {} })
                    .value(u"may_approve"_s)
                    .toBool());
        const TeamAccess none;
        QVERIFY(proposalFor(wire::proposal(p), p, &none, ClientIdentity { u"carol"_s, {}, {} })
                    .value(u"may_approve"_s)
                    .toBool());
    }
};

QTEST_GUILESS_MAIN(TestMayApprove)
#include "tst_mayapprove.moc"
