// The simulated fleet as the standard exporters show it to a real Prometheus
// (ExporterMetrics, `simulate --serve-metrics`): the raw series the shipped rules
// read, in the text format promtool accepts, agreeing with what the simulator's own
// metric source reports; no server involved (tests/e2e/tst_fleetscrape scrapes it).
#include "simrig.h"
#include "simulator/world/exportermetrics.h"
#include "simulator/world/world.h"

#include <QFile>
#include <QProcess>
#include <QRegularExpression>

namespace antibody::sim::test {

namespace {

// Every sample of `name` (with its suffix) whose labels include `match`.
QList<MetricFamily::Sample> samples(
    const QList<MetricFamily> &families, const QString &name, const Labels &match = {}, const QString &suffix = {})
{
    QList<MetricFamily::Sample> out;
    for (const MetricFamily &f : families) {
        if (f.name != name)
            continue;
        for (const MetricFamily::Sample &s : f.samples) {
            bool all = s.suffix == suffix;
            for (auto it = match.cbegin(); all && it != match.cend(); ++it)
                all = s.labels.value(it.key()) == it.value();
            if (all)
                out << s;
        }
    }
    return out;
}

double sum(const QList<MetricFamily::Sample> &list)
{
    double total = 0;
    for (const MetricFamily::Sample &s : list)
        total += s.value;
    return total;
}

// The fleet with its exporters: the counters advance at each of the world's scrapes.
struct ExportingRig : Rig
{
    explicit ExportingRig(TimePoint start = peakHour())
        : Rig(7, start)
    {
        metrics.advance(fleet(), clock.now());
        QObject::connect(&world(), &World::scraped, &world(), [this](TimePoint at) { metrics.advance(fleet(), at); });
    }
    QList<MetricFamily> families(Duration wallOffset = Duration { 0 })
    {
        return metrics.families(fleet(), clock.now(), wallOffset);
    }

    ExporterMetrics metrics;
};

} // namespace

class TestExporterMetrics : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    // The raw series rules/antibody.rules.yml reads (its header lists where each comes
    // from) are all served, and the file still names each: a rename on either side fails here.
    void servesWhatTheShippedRulesRead()
    {
        QFile rules(qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + u"/rules/antibody.rules.yml"_s);
        QVERIFY2(rules.open(QIODevice::ReadOnly), qPrintable(rules.fileName()));
        const QString text = QString::fromUtf8(rules.readAll());
        ExportingRig rig;
        rig.advance(1min);
        const QList<MetricFamily> families = rig.families();
        QStringList served;
        for (const MetricFamily &f : families)
            served << f.name;
        for (const QString &name : { u"pg_stat_activity_count"_s, u"pg_settings_max_connections"_s, u"pg_up"_s,
                 u"pg_replication_lag"_s, u"kube_pod_owner"_s, u"kube_replicaset_owner"_s,
                 u"kube_pod_container_resource_limits"_s, u"kube_pod_container_status_restarts_total"_s,
                 u"container_cpu_usage_seconds_total"_s, u"http_server_request_duration_seconds"_s,
                 u"http_server_active_requests"_s, u"orders_created_total"_s, u"probe_ssl_earliest_cert_expiry"_s }) {
            QVERIFY2(text.contains(name), qPrintable(u"the rules no longer read "_s + name));
            QVERIFY2(served.contains(name), qPrintable(u"not served: "_s + name));
        }
        // Only raw series: a recorded one served would collide with the rule computing it.
        for (const QString &name : std::as_const(served))
            QVERIFY2(!name.contains(u':'), qPrintable(name));
    }

    // The pool's figures as postgres_exporter gives them make the rules' ratio the simulator reports.
    void poolRatioAsTheRulesComputeIt()
    {
        ExportingRig rig(*parseTime(u"2026-11-27T14:00:00Z"));
        rig.advance(10s);
        rig.world().inject(Fault::connectionLeak(u"orders-worker"_s, 2min, 9));
        rig.advance(30s);
        const QList<MetricFamily> f = rig.families();
        const Labels db { { u"service"_s, u"orders-db"_s } };
        const double ratio
            = sum(samples(f, u"pg_stat_activity_count"_s, db)) / sum(samples(f, u"pg_settings_max_connections"_s, db));
        QCOMPARE(ratio, 0.95);
        QCOMPARE(rig.value(u"service:pg_connection_utilization:ratio"_s), ratio);
        QCOMPARE(sum(samples(f, u"pg_up"_s, db)), 1.0);
    }

    // kube-state-metrics' owner chain names each pod's Deployment (the service), the way the
    // rules' namespace_service_pod:kube_pod_owner:relabel joins it.
    void ownerChainNamesTheDeployment()
    {
        ExportingRig rig;
        rig.advance(10s);
        const QList<MetricFamily> f = rig.families();
        const QList<MetricFamily::Sample> owners = samples(f, u"kube_pod_owner"_s);
        QCOMPARE(owners.size(), rig.fleet().pods.size());
        for (const MetricFamily::Sample &o : owners) {
            const Pod *pod = rig.fleet().pod(o.labels.value(u"pod"_s));
            QVERIFY(pod);
            QCOMPARE(o.labels.value(u"owner_kind"_s), u"ReplicaSet"_s);
            const QList<MetricFamily::Sample> rs = samples(f, u"kube_replicaset_owner"_s,
                { { u"replicaset"_s, o.labels.value(u"owner_name"_s) }, { u"namespace"_s, u"default"_s } });
            QCOMPARE(rs.size(), 1);
            QCOMPARE(rs.front().labels.value(u"owner_kind"_s), u"Deployment"_s);
            QCOMPARE(rs.front().labels.value(u"owner_name"_s), pod->service);
            QCOMPARE(samples(f, u"kube_pod_container_status_restarts_total"_s,
                         { { u"pod"_s, pod->name }, { u"namespace"_s, u"default"_s } })
                         .size(),
                1);
        }
    }

    // The counters integrate the fleet's rates: requests a second over a minute, CPU
    // seconds over the limits, and each histogram's buckets are cumulative up to +Inf = count.
    void countersIntegrateTheRates()
    {
        ExportingRig rig;
        rig.advance(2min);
        const QList<MetricFamily> before = rig.families();
        rig.advance(1min);
        const QList<MetricFamily> after = rig.families();
        for (const Service &s : rig.fleet().services) {
            if (s.kind != Service::Kind::App)
                continue;
            const Labels svc { { u"service"_s, s.name } };
            const double requests = sum(samples(after, u"http_server_request_duration_seconds"_s, svc, u"_count"_s))
                - sum(samples(before, u"http_server_request_duration_seconds"_s, svc, u"_count"_s));
            const double rps = rig.value(u"service:http_server_requests:rate1m{service=\"%1\"}"_s.arg(s.name));
            QVERIFY2(std::abs(requests / 60.0 - rps) < 0.1 * rps,
                qPrintable(u"%1: %2 requests/s counted, %3 reported"_s.arg(s.name).arg(requests / 60.0).arg(rps)));
        }
        double cpuSeconds = 0;
        for (const Pod &p : rig.fleet().pods) {
            const Labels pod { { u"pod"_s, p.name } };
            cpuSeconds += sum(samples(after, u"container_cpu_usage_seconds_total"_s, pod))
                - sum(samples(before, u"container_cpu_usage_seconds_total"_s, pod));
        }
        const double cpu = rig.value(u"service:container_cpu_usage:ratio{service=\"checkout-svc\"}"_s);
        QVERIFY(cpuSeconds > 0 && cpu > 0);
        for (const MetricFamily::Sample &count :
            samples(after, u"http_server_request_duration_seconds"_s, {}, u"_count"_s)) {
            double previous = 0;
            QList<MetricFamily::Sample> buckets
                = samples(after, u"http_server_request_duration_seconds"_s, count.labels, u"_bucket"_s);
            QCOMPARE(buckets.size(), ExporterMetrics::bucketBounds().size() + 1);
            for (const MetricFamily::Sample &b : buckets) {
                QVERIFY(b.value >= previous - 1e-9);
                previous = b.value;
            }
            QCOMPARE(buckets.back().labels.value(u"le"_s), u"+Inf"_s);
            QCOMPARE(buckets.back().value, count.value);
        }
    }

    // The p99 Prometheus computes from the histogram (histogram_quantile: linear within the
    // bucket) lands in the bucket that holds the simulator's own p99: a histogram resolves no finer.
    void p99InTheSimulatorsBucket_data()
    {
        QTest::addColumn<QString>("fault");
        QTest::newRow("quiet") << QString();
        QTest::newRow("region degraded") << u"region"_s;
    }
    void p99InTheSimulatorsBucket()
    {
        QFETCH(QString, fault);
        ExportingRig rig(*parseTime(u"2026-11-27T13:00:00Z"));
        if (!fault.isEmpty())
            rig.world().inject(Fault::regionDegraded(u"us-east-1"_s, 0.35, 0.4));
        rig.advance(2min);
        const QList<MetricFamily> before = rig.families();
        rig.advance(1min);
        const QList<MetricFamily> after = rig.families();
        const QList<double> &bounds = ExporterMetrics::bucketBounds();
        for (const Service &s : rig.fleet().services) {
            if (s.kind != Service::Kind::App)
                continue;
            QList<double> increase;
            for (qsizetype i = 0; i <= bounds.size(); ++i) {
                const Labels le { { u"service"_s, s.name },
                    { u"le"_s, i < bounds.size() ? Exposition::number(bounds[i]) : u"+Inf"_s } };
                increase << sum(samples(after, u"http_server_request_duration_seconds"_s, le, u"_bucket"_s))
                        - sum(samples(before, u"http_server_request_duration_seconds"_s, le, u"_bucket"_s));
            }
            const double rank = 0.99 * increase.back();
            qsizetype b = 0;
            while (increase[b] < rank)
                ++b;
            const double lower = b == 0 ? 0.0 : bounds[b - 1];
            const double below = b == 0 ? 0.0 : increase[b - 1];
            const double estimate = lower + (bounds[b] - lower) * (rank - below) / (increase[b] - below);
            const double p99
                = rig.value(u"service:http_server_request_duration_seconds:p99{service=\"%1\"}"_s.arg(s.name));
            qInfo("%s: p99 %.3f s, from the histogram %.3f s", qPrintable(s.name), p99, estimate);
            QVERIFY2(p99 > lower - 0.05 && p99 <= bounds[b] + 0.05,
                qPrintable(u"%1: the simulator's p99 %2 s, the histogram's %3 s (bucket %4-%5 s)"_s.arg(s.name)
                               .arg(p99)
                               .arg(estimate)
                               .arg(lower)
                               .arg(bounds[b])));
        }
    }

    // The fleet's timestamps move by the offset to the scraper's clock: the days left stay.
    void certificateExpiryOnTheWallClock()
    {
        ExportingRig rig;
        const Duration offset = std::chrono::hours(24 * 40);
        const QList<MetricFamily::Sample> probes = samples(
            rig.families(offset), u"probe_ssl_earliest_cert_expiry"_s, { { u"instance"_s, u"api.example.com"_s } });
        QCOMPARE(probes.size(), 1);
        const Certificate *c = rig.fleet().certificate(u"api.example.com");
        QCOMPARE(probes.front().value, toSeconds((c->notAfter + offset).time_since_epoch()));
        QCOMPARE(probes.front().labels.value(u"service"_s), u"api-gateway"_s);
    }

    // promtool reads the whole answer; its one remark is about a name postgres_exporter
    // chose (pg_stat_activity_count ends in _count), which the rules must read as it is.
    void promtoolAccepts()
    {
        ExportingRig rig;
        rig.world().inject(Fault::crashLoop(u"checkout-svc"_s, { u"checkout-svc-3"_s }, u"exit 1"_s, 25s));
        rig.advance(2min);
        QProcess promtool;
        promtool.start(QStringLiteral(ANTIBODY_PROMTOOL), { u"check"_s, u"metrics"_s });
        QVERIFY2(promtool.waitForStarted(), "promtool not found: run scripts/setup (Debian's prometheus package)");
        promtool.write(Exposition::render(rig.families()));
        promtool.closeWriteChannel();
        QVERIFY(promtool.waitForFinished(30'000));
        const QString said = QString::fromUtf8(promtool.readAllStandardOutput() + promtool.readAllStandardError());
        QCOMPARE(said.trimmed(),
            u"pg_stat_activity_count non-histogram and non-summary metrics should not have \"_count\" suffix"_s);
    }
};

} // namespace antibody::sim::test

QTEST_GUILESS_MAIN(antibody::sim::test::TestExporterMetrics)
#include "tst_exportermetrics.moc"
