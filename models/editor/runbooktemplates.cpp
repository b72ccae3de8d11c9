#include "models/editor/runbooktemplates.h"

#include "engine/runbook/actioncatalog.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// What the catalog cannot know: the alert a family's runbooks usually answer, the
// parameters worth writing out, and the metric that proves the fix. Names are from
// docs/vocabulary.md.
struct FamilyShape
{
    QString family;
    QString action;
    QString trigger;
    QString params;
    QString cap;
    QString verify; // a wait_for_metric params mapping
    QString drill;
};

const QList<FamilyShape> &shapes()
{
    static const QList<FamilyShape> list {
        { u"database"_s, u"terminate_connections"_s, u"DbConnectionPoolExhausted"_s,
            u"{ state: idle, older_than: 300s }"_s, u"\"15%\""_s,
            u"{ metric: \"service:pg_connection_utilization:ratio\", below: 70%, timeout: 120s }"_s,
            u"connection-pool-exhaustion"_s },
        { u"workload"_s, u"restart_pods"_s, u"KubePodCrashLooping"_s, u"{ only_unhealthy: true, grace_period: 30s }"_s,
            u"\"15%\""_s, u"{ metric: kube_deployment_status_replicas_available, above: 4, timeout: 5m }"_s,
            u"crashloop-restart-fails"_s },
        { u"certificates"_s, u"renew_certificate"_s, u"BlackboxSslCertificateWillExpireSoon"_s,
            u"{ before_expiry: 14d }"_s, u"1"_s,
            u"{ metric: \"instance:probe_ssl_earliest_cert_expiry:remaining_seconds\", above: 1209600, timeout: 2m }"_s,
            u"cert-expiry"_s },
        { u"traffic"_s, u"failover_region"_s, u"RegionDegraded"_s, u"{ from: eu-west-1 }"_s, u"1"_s,
            u"{ metric: \"service:http_server_requests:error_ratio\", below: 5%, timeout: 10m }"_s,
            u"region-degraded"_s },
        { u"hosts"_s, u"isolate_host"_s, u"SecurityIncident"_s, u"{ preserve_state: true }"_s, u"1"_s, QString(),
            u"security-incident"_s },
        { u"command"_s, u"run_command"_s, u"HighLatency"_s,
            u"{ argv: [/usr/local/bin/flush-cache, --service, checkout-svc] }"_s, u"1"_s,
            u"{ metric: \"service:http_server_request_duration_seconds:p99\", below: 1s, timeout: 5m }"_s, QString() },
    };
    return list;
}

QString build(const FamilyShape &s, const ActionSpec &a)
{
    // Approve-tier actions wait for a human at every level: say so with level 2.
    const int level = a.tier == Tier::Safe ? 3 : 2;
    QString t;
    t += u"# NAME — what this runbook heals, in one line.\n"_s;
    t += u"#\n# When: %1 fires (change the trigger to your alert or a metric expression).\n"_s.arg(s.trigger);
    t += u"# What: diagnoses, runs %1 within its blast radius, verifies, pages a human if that fails.\n"_s.arg(a.name);
    t += u"# %1\n"_s.arg(a.tier == Tier::Safe
            ? u"Level 3: runs unattended within guardrails; lower it to 2 to approve each run."_s
            : u"%1 is an approve-tier action: a human approves every run."_s.arg(a.name));
    t += u"name: NAME\nlevel: %1\ntrigger:\n  alert: %2\n  confidence: %3\n"_s.arg(level).arg(
        s.trigger, level >= 3 ? u"high"_s : u"medium"_s);
    t += u"steps:\n  - name: diagnose\n    action: collect_diagnostics\n"_s;
    t += u"  - name: %1\n    action: %1\n    params: %2\n"_s.arg(a.name, s.params);
    if (a.mutates())
        t += u"    blast_radius: { max_%1: %2 }\n"_s.arg(a.dimension, s.cap);
    QString failed = u"%1.failed"_s.arg(a.name);
    if (!s.verify.isEmpty()) {
        t += u"  - name: verify\n    action: wait_for_metric\n    params: %1\n"_s.arg(s.verify);
        failed += u" or verify.failed"_s;
    }
    t += u"  - name: escalate\n    action: page_oncall\n    condition: %1\n"_s.arg(failed);
    t += u"    params: { severity: high, context: \"%1 did not fix it\" }\n"_s.arg(a.name);
    if (!s.drill.isEmpty())
        t += u"drill: { scenario: %1, expect: resolved }   # `antibodyctl scenarios` lists them\n"_s.arg(s.drill);
    return t;
}

} // namespace

QList<RunbookTemplate> RunbookTemplates::all()
{
    QList<RunbookTemplate> out;
    const ActionCatalog &catalog = ActionCatalog::instance();
    QStringList families;
    for (const ActionSpec &a : catalog.actions()) {
        if (a.mutates() && a.tier != Tier::Never && !families.contains(a.family))
            families << a.family;
    }
    for (const QString &family : std::as_const(families)) {
        const FamilyShape *shape = nullptr;
        for (const FamilyShape &s : shapes()) {
            if (s.family == family)
                shape = &s;
        }
        if (!shape)
            continue; // the test names the family that lacks a shape
        const ActionSpec *a = catalog.find(shape->action);
        if (!a)
            continue;
        out << RunbookTemplate { family, a->name, u"%1: %2"_s.arg(family, a->name), build(*shape, *a) };
    }
    out << RunbookTemplate {
        u"paging"_s, u"page_oncall"_s, u"alert only: page a human"_s,
        u"# NAME — pages a human with diagnostics; nothing is automated.\n"
        u"name: NAME\nlevel: 1\ntrigger:\n  alert: HighErrorRate\nsteps:\n"
        u"  - name: diagnose\n    action: collect_diagnostics\n"
        u"  - name: page\n    action: page_oncall\n    params: { severity: high, context: \"what to look at first\" }\n"_s
    };
    return out;
}

QString RunbookTemplates::instantiate(const RunbookTemplate &t, const QString &name)
{
    QString text = t.text;
    return text.replace(u"NAME"_s, name);
}

} // namespace antibody
