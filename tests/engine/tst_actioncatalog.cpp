#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/paramtext.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using antibody::ActionCatalog;
using antibody::Effect;
using antibody::paramsText;
using antibody::Tier;

class TestActionCatalog : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // A proposal shows the plan's parameters as a person wrote them, not as the planner
    // normalized them: "timeout 10m", never "timeout=600000".
    void planParametersReadAsWritten()
    {
        const QVariantMap params { { u"timeout"_s, qint64(600'000) }, { u"older_than"_s, qint64(300'000) },
            { u"state"_s, u"idle"_s }, { u"exclude_applications"_s, QStringList { u"exporter"_s, u"pgbouncer"_s } },
            { u"note"_s, u"by hand"_s } };
        const QString text = paramsText(u"terminate_connections"_s, params);
        QVERIFY2(text.contains(u"older_than 5m"_s), qPrintable(text));
        QVERIFY2(text.contains(u"exclude_applications exporter, pgbouncer"_s), qPrintable(text));
        QVERIFY2(!text.contains(u"600000"_s) && !text.contains(u"300000"_s), qPrintable(text));
        QVERIFY2(text.contains(u"timeout 10m"_s), qPrintable(text)); // every step's key, in no action's list
        QVERIFY2(text.indexOf(u"note by hand"_s) > text.indexOf(u"older_than"_s), qPrintable(text)); // unknown: last
        QCOMPARE(paramsText(u"wait_for_metric"_s, { { u"timeout"_s, qint64(120'000) } }), u"timeout 2m"_s);
        QCOMPARE(paramsText(u"no_such_action"_s, { { u"x"_s, 1 } }), u"x 1"_s);
    }

    void hasEveryRequiredAction()
    {
        const QStringList required { u"query_metrics"_s, u"collect_diagnostics"_s, u"wait_for_metric"_s,
            u"terminate_connections"_s, u"restart_pods"_s, u"scale"_s, u"rollback_deployment"_s, u"renew_certificate"_s,
            u"failover_database"_s, u"failover_region"_s, u"isolate_host"_s, u"page_oncall"_s, u"notify"_s,
            u"run_command"_s };
        for (const QString &name : required)
            QVERIFY2(ActionCatalog::instance().find(name), qPrintable(name));
    }

    void tiersFollowTheDecisionMatrix()
    {
        const auto &c = ActionCatalog::instance();
        QCOMPARE(c.find(u"restart_pods")->tier, Tier::Safe);
        QCOMPARE(c.find(u"renew_certificate")->tier, Tier::Safe);
        QCOMPARE(c.find(u"failover_database")->tier, Tier::Approve);
        QCOMPARE(c.find(u"failover_region")->tier, Tier::Approve);
        QCOMPARE(c.find(u"run_command")->tier, Tier::Approve);
        QCOMPARE(c.find(u"terminate_host")->tier, Tier::Never);
    }

    void everyEntryIsComplete()
    {
        QSet<QString> names;
        const QStringList dims = ActionCatalog::dimensions();
        for (const auto &a : ActionCatalog::instance().actions()) {
            QVERIFY2(!names.contains(a.name), qPrintable(u"listed twice: "_s + a.name));
            names.insert(a.name);
            QVERIFY2(!a.family.isEmpty(), qPrintable(a.name));
            QVERIFY2(a.description.size() > 40, qPrintable(a.name + u": description too short"_s));
            if (a.mutates())
                QVERIFY2(dims.contains(a.dimension),
                    qPrintable(a.name + u": mutating action without a blast-radius dimension"_s));
            else
                QVERIFY2(a.dimension.isEmpty(), qPrintable(a.name));
            for (const QString &p : a.oneOf)
                QVERIFY2(a.param(p), qPrintable(a.name + u": oneOf names an unknown parameter "_s + p));
            QSet<QString> params;
            for (const auto &p : a.params) {
                QVERIFY2(!params.contains(p.name), qPrintable(a.name + u'.' + p.name));
                params.insert(p.name);
                QVERIFY2(!p.description.isEmpty(), qPrintable(a.name + u'.' + p.name));
                QVERIFY2(!(p.required && !p.defaultValue.isEmpty()),
                    qPrintable(a.name + u'.' + p.name + u": required with a default"_s));
                if (p.type == antibody::ParamType::Enum)
                    QVERIFY2(p.defaultValue.isEmpty() || p.values.contains(p.defaultValue),
                        qPrintable(a.name + u'.' + p.name));
            }
        }
    }

    void outcomesAreNotFacts()
    {
        // `step.failed` must never be ambiguous with a fact of the same name.
        for (const auto &a : ActionCatalog::instance().actions()) {
            for (const auto &f : a.facts)
                QVERIFY2(!ActionCatalog::outcomes().contains(f.name), qPrintable(a.name + u'.' + f.name));
        }
    }
};

QTEST_GUILESS_MAIN(TestActionCatalog)
#include "tst_actioncatalog.moc"
