#include "engine/runbook/triggerexpression.h"
#include "models/link/consolemodels.h"
#include "models/present/chartplan.h"
#include "tests/support/samples.h"

#include <QSignalSpy>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;
using Kind = EngineEvent::Kind;

namespace {

ParamValue measureParam(const QString &text)
{
    ParamValue v;
    v.type = ParamType::Threshold;
    v.measure = Measure::parse(text);
    v.text = text;
    return v;
}

ParamValue textParam(const QString &text)
{
    ParamValue v;
    v.type = ParamType::Metric;
    v.value = text;
    v.text = text;
    return v;
}

// `wait_for_metric { metric: METRIC, below: 70% }`, as the loader would build it.
Step verifyBelow70(const QString &metric)
{
    Step verify;
    verify.name = u"verify_recovery"_s;
    verify.action = u"wait_for_metric"_s;
    verify.params.insert(u"metric"_s, textParam(metric));
    verify.params.insert(u"below"_s, measureParam(u"70%"_s));
    return verify;
}

// The seed's runbook, as the loader would build it.
Runbook seedRunbook()
{
    Runbook r;
    r.name = u"connection-pool-exhaustion"_s;
    TriggerExpression::ParseError error;
    r.trigger.expressions << *TriggerExpression::parse(u"service:pg_connection_utilization:ratio > 90%", &error);
    r.steps << verifyBelow70(u"service:pg_connection_utilization:ratio"_s);
    return r;
}

} // namespace

// The hub the engine link feeds, and what the incident's charts show.
class TestConsoleModels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // On a team server: a plan the policy does not let this console's person approve
    // waits after theirs, in the queue (F8) and the list, with the reason.
    void whatWaitsForYouComesFirst()
    {
        ConsoleModels models;
        models.updateIncident(samples::incident(u"INC-1"_s, u"orders-db"_s, IncidentState::AwaitingApproval, 2));
        models.updateIncident(samples::incident(u"INC-2"_s, u"checkout-svc"_s, IncidentState::AwaitingApproval, 2));
        models.flush();
        Proposal older = samples::proposal(u"P-1"_s, samples::poolPlan(u"INC-1"_s));
        older.createdAt = samples::at(10);
        Proposal newer = samples::proposal(u"P-2"_s, samples::poolPlan(u"INC-2"_s));
        newer.createdAt = samples::at(20);
        const QString why = u"refused by the policy: carol may not approve on service orders-db"_s;
        models.updateProposal(older, why);
        models.updateProposal(newer);

        QCOMPARE(models.proposals()->waiting().first().id, u"P-2"_s);
        QCOMPARE(models.proposals()->notYours(u"P-1"_s), why);
        IncidentModel *incidents = models.incidents();
        const QModelIndex first = incidents->index(incidents->rowOf(u"INC-1"_s), 0);
        const QModelIndex second = incidents->index(incidents->rowOf(u"INC-2"_s), 0);
        QCOMPARE(first.data(IncidentModel::NotYoursRole).toString(), why);
        QVERIFY(first.data(Qt::ToolTipRole).toString().contains(why));
        QVERIFY(first.data(IncidentModel::AttentionRole).toInt() > second.data(IncidentModel::AttentionRole).toInt());
        QVERIFY(first.data(IncidentModel::AttentionRole).toInt()
            < IncidentModel::attentionRank(IncidentState::Escalated) * 2);

        older.state = Proposal::State::Executing; // someone else approved it
        models.updateProposal(older);
        QCOMPARE(first.data(IncidentModel::NotYoursRole).toString(), QString());
        QCOMPARE(models.proposals()->notYours(u"P-1"_s), QString());
    }

    void eventsAreCoalescedAndIndexedByIncident()
    {
        ConsoleModels models;
        QSignalSpy added(&models, &ConsoleModels::incidentEventsAdded);
        models.updateIncident(samples::incident(u"INC-1"_s, u"orders-db"_s));
        models.addEvent(samples::event(Kind::Detected, 0, u"INC-1"_s));
        models.addEvent(samples::event(Kind::BreakerOpened, 5, {}));
        models.addEvent(samples::event(Kind::Resolved, 45, u"INC-1"_s));
        QCOMPARE(models.events()->rowCount(), 0);
        QTRY_COMPARE(models.events()->rowCount(), 3);
        QCOMPARE(added.size(), 1);
        QCOMPARE(added.at(0).at(0).toStringList(), QStringList { u"INC-1"_s });
        QCOMPARE(models.eventsOf(u"INC-1"_s).size(), 2);
        QCOMPARE(models.incidents()->rowCount(), 1); // flushed before the events that mention it
        QCOMPARE(models.activity()->rowCount(), 2); // healed + breaker
        QCOMPARE(models.now(), samples::at(45)); // the newest event moves "now" forward
    }

    void nowNeverRunsBackwards()
    {
        ConsoleModels models;
        QSignalSpy now(&models, &ConsoleModels::nowChanged);
        models.setNow(samples::at(100));
        models.setNow(samples::at(50));
        QCOMPARE(models.now(), samples::at(100));
        QCOMPARE(now.size(), 2);
    }

    void runbooksGiveBreakerPolicies()
    {
        ConsoleModels models;
        models.updateBreaker(samples::breaker(u"connection-pool-exhaustion"_s, BreakerState::State::Closed, 1));
        models.setRunbooks({ seedRunbook() });
        QVERIFY(models.runbook(u"connection-pool-exhaustion"_s));
        QVERIFY(!models.runbook(u"nope"_s));
        QCOMPARE(models.breakers()->index(0, BreakerModel::FailuresColumn).data().toString(), u"1 of 3 in 10m"_s);
    }

    void seedRunbookChartsOnePoolChartWithBothLines()
    {
        const Runbook runbook = seedRunbook();
        const auto charts = chartsFor(samples::incident(u"INC-1"_s, u"orders-db"_s), &runbook);
        QCOMPARE(charts.size(), 1); // the trigger's metric and the goal's are one chart
        QCOMPARE(charts.at(0).metric, u"service:pg_connection_utilization:ratio"_s);
        QCOMPARE(charts.at(0).unit, Measure::Kind::Percent);
        QCOMPARE(charts.at(0).selector(), u"service:pg_connection_utilization:ratio{service=\"orders-db\"}"_s);
        QCOMPARE(charts.at(0).thresholds,
            (QList<ChartThreshold> { { 0.9, u"trigger > 90%"_s }, { 0.7, u"goal below 70%"_s } }));
    }

    void alertTriggersChartTheAlertsMetric_data()
    {
        QTest::addColumn<QString>("alert");
        QTest::addColumn<QString>("metric");
        QTest::addColumn<double>("threshold");
        QTest::addRow("errors") << u"HighErrorRate"_s << u"service:http_server_requests:error_ratio"_s << 0.05;
        QTest::addRow("latency") << u"HighLatency"_s << u"service:http_server_request_duration_seconds:p99"_s << 1.0;
        QTest::addRow("pool") << u"DbConnectionPoolExhausted"_s << u"service:pg_connection_utilization:ratio"_s << 0.9;
        QTest::addRow("replication lag") << u"ReplicationLagHigh"_s << u"pg_replication_lag"_s << 10.0;
        QTest::addRow("certificate") << u"BlackboxSslCertificateWillExpireSoon"_s
                                     << u"instance:probe_ssl_earliest_cert_expiry:remaining_seconds"_s << 14 * 86'400.0;
    }

    void alertTriggersChartTheAlertsMetric()
    {
        QFETCH(QString, alert);
        QFETCH(QString, metric);
        QFETCH(double, threshold);
        Incident incident = samples::incident(u"INC-1"_s, u"checkout-svc"_s);
        incident.labels.insert(u"alertname"_s, alert);
        const auto charts = chartsFor(incident, nullptr);
        QCOMPARE(charts.size(), 1);
        QCOMPARE(charts.at(0).metric, metric);
        QCOMPARE(charts.at(0).thresholds.at(0).value, threshold);
    }

    void alertRunbooksWithTheirOwnMetricsChartThoseOnly()
    {
        Incident incident = samples::incident(u"INC-1"_s, u"orders-db"_s);
        incident.labels.insert(u"alertname"_s, u"DbConnectionPoolExhausted"_s);
        Runbook runbook; // `trigger: { alert: DbConnectionPoolExhausted }`: no metric expression
        runbook.steps << verifyBelow70(u"pg_pool_fill:ratio"_s);
        // A metric of the runbook's own: no chart of the alert's series beside it.
        auto charts = chartsFor(incident, &runbook);
        QCOMPARE(charts.size(), 1);
        QCOMPARE(charts.at(0).metric, u"pg_pool_fill:ratio"_s);
        QCOMPARE(charts.at(0).thresholds, (QList<ChartThreshold> { { 0.7, u"goal below 70%"_s } }));
        // The alert's own metric verified: one chart, the alert's line first (drawn as trouble).
        runbook.steps[0] = verifyBelow70(u"service:pg_connection_utilization:ratio"_s);
        charts = chartsFor(incident, &runbook);
        QCOMPARE(charts.size(), 1);
        QCOMPARE(charts.at(0).metric, u"service:pg_connection_utilization:ratio"_s);
        QCOMPARE(charts.at(0).thresholds,
            (QList<ChartThreshold> { { 0.9, u"alert > 90%"_s }, { 0.7, u"goal below 70%"_s } }));
    }

    void guardAlertsHaveNothingToChart()
    {
        Incident incident = samples::incident(u"INC-1"_s, u"orders-db"_s, IncidentState::Escalated, 0);
        incident.labels.insert(u"alertname"_s, u"DataCorruptionSuspected"_s);
        QVERIFY(chartsFor(incident, nullptr).isEmpty());
    }

    void selectorEscapesHostileLabelValues()
    {
        ChartSpec spec { u"error_rate"_s, { { u"service"_s, u"a\"} or vector(1) #\\"_s } }, {}, {} };
        QCOMPARE(spec.selector(), u"error_rate{service=\"a\\\"} or vector(1) #\\\\\"}"_s);
    }
};

QTEST_GUILESS_MAIN(TestConsoleModels)
#include "tst_consolemodels.moc"
