#include "connectors/doctor/runbookverdict.h"

#include "connectors/http/redaction.h"
#include "connectors/prometheus/promqlselectors.h"
#include "engine/core/suggestion.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QString scrapedQuestion(const QString &exporter)
{
    return exporter.startsWith(u"the "_s) ? u"are %1 scraped?"_s.arg(exporter) : u"is %1 scraped?"_s.arg(exporter);
}

QString seriesText(qint64 n)
{
    return n == 1 ? u"1 series"_s : u"%1 series"_s.arg(n);
}

class VerdictWriter
{
public:
    VerdictWriter(const Configuration &config, const WorldFacts &facts)
        : m_config(config)
        , m_prometheus(facts.prometheus ? &*facts.prometheus : nullptr)
        , m_alertmanager(facts.alertmanager ? &*facts.alertmanager : nullptr)
        , m_executors(facts.executors)
        , m_databases(facts.databases)
        , m_kubernetes(facts.kubernetes)
        , m_certificates(facts.certificates)
    {
    }

    RunbookVerdict verdict(const Runbook &runbook, const RunbookNeeds &needs) const
    {
        RunbookVerdict v;
        v.name = runbook.name;
        v.file = runbook.file;
        for (const RunbookNeeds::Alert &a : needs.alerts)
            alert(needs, a, v);
        for (const RunbookNeeds::Alert &a : needs.symptoms)
            symptom(needs, a, v);
        for (const RunbookNeeds::Metric &m : needs.metrics)
            metric(needs, m, v);
        for (const RunbookNeeds::Action &a : needs.actions)
            action(needs, a, v);
        if (m_expectsShown && !needs.expects.isEmpty())
            v.expects = RunbookVerdict::Finding { needs.at(needs.expectsLine), needs.expects };
        m_expectsShown = false;
        return v;
    }

private:
    QString promUrl() const { return m_prometheus ? redactedUrl(m_config.prometheus->url) : QString(); }
    bool rulesKnown() const { return m_prometheus && m_prometheus->server.rulesRead; }

    void alert(const RunbookNeeds &needs, const RunbookNeeds::Alert &a, RunbookVerdict &v) const
    {
        const QString where = needs.at(a.line);
        if (a.name.isEmpty()) {
            v.found << RunbookVerdict::Finding { where,
                u"any alert with the labels %1: no one name to check"_s.arg(a.text) };
            return;
        }
        if (rulesKnown() && m_prometheus->server.alerting.contains(a.name)) {
            v.found << RunbookVerdict::Finding { where,
                u"alert %1: an alerting rule in Prometheus at %2"_s.arg(a.name, promUrl()) };
            return;
        }
        const bool held = m_alertmanager && m_alertmanager->alertNames.contains(a.name);
        if (held) {
            v.found << RunbookVerdict::Finding { where,
                u"alert %1: held by Alertmanager at %2 now"_s.arg(a.name, redactedUrl(m_config.alertmanager->url)) };
            return;
        }
        if (rulesKnown()) {
            QStringList names = m_prometheus->server.alerting;
            if (m_alertmanager)
                names << m_alertmanager->alertNames;
            const QString close = closestName(a.name, names);
            QString message = u"no alerting rule named %1 in Prometheus at %2"_s.arg(a.name, promUrl());
            message += close.isEmpty()
                ? u"; add the rule (the shipped ones: rules/antibody.rules.yml, docs/prometheus-rules.md)"_s
                : u"; did you mean %1?"_s.arg(close);
            showExpects();
            v.missing << RunbookVerdict::Finding { where, message };
            return;
        }
        if (m_config.prometheus) {
            v.missing << RunbookVerdict::Finding { where,
                u"alert %1 cannot be checked: the rules of Prometheus at %2 could not be read (see sources.prometheus "
                u"above)"_s.arg(a.name, promUrl()) };
            return;
        }
        v.warnings << RunbookVerdict::Finding { where,
            u"alert %1 is not held by Alertmanager now, and without sources.prometheus no rule can be checked: make "
            u"sure a rule defines it"_s.arg(a.name) };
    }

    // A symptom no rule defines never joins the incident: worth a warning, not a verdict.
    void symptom(const RunbookNeeds &needs, const RunbookNeeds::Alert &a, RunbookVerdict &v) const
    {
        if (!rulesKnown() || m_prometheus->server.alerting.contains(a.name)
            || (m_alertmanager && m_alertmanager->alertNames.contains(a.name)))
            return;
        const QString close = closestName(a.name, m_prometheus->server.alerting);
        v.warnings << RunbookVerdict::Finding { needs.at(a.line),
            u"symptom %1: no alerting rule of that name in Prometheus at %2%3, so it never joins this runbook's "
            u"incidents"_s.arg(a.name, promUrl(), close.isEmpty() ? QString() : u" (did you mean %1?)"_s.arg(close)) };
    }

    void metric(const RunbookNeeds &needs, const RunbookNeeds::Metric &m, RunbookVerdict &v) const
    {
        const QString where = needs.at(m.line);
        if (!m_config.prometheus) {
            v.missing << RunbookVerdict::Finding { where,
                u"%1 reads %2 from Prometheus, and the configuration has no sources.prometheus"_s.arg(
                    m.readBy, m.selector) };
            return;
        }
        const auto found = m_prometheus->counts.constFind(m.selector);
        if (!m_prometheus->server.reachable || found == m_prometheus->counts.constEnd() || !found->ok) {
            const QString why = !m_prometheus->server.reachable
                ? u"Prometheus did not answer (see sources.prometheus above)"_s
                : found == m_prometheus->counts.constEnd() ? u"not asked in time"_s
                                                           : found->error;
            v.missing << RunbookVerdict::Finding { where, u"%1 could not be counted: %2"_s.arg(m.selector, why) };
            return;
        }
        if (found->series > 0) {
            v.found << RunbookVerdict::Finding { where,
                u"%1 (read by %2): %3"_s.arg(m.selector, m.readBy, seriesText(found->series)) };
            return;
        }
        QString message = u"%1 (read by %2) has no series in Prometheus at %3"_s.arg(m.selector, m.readBy, promUrl());
        const qint64 anyLabels = m_prometheus->counts.value(m.name).series;
        if (m.selector != m.name && anyLabels > 0) {
            message += u"; %1 has %2, none matching the runbook's labels: check the labels your scrape "
                       u"configuration gives (docs/prometheus-rules.md)"_s.arg(m.name, seriesText(anyLabels));
        } else if (m_prometheus->server.recording.contains(m.name)) {
            message += u"; it is recorded from %1"_s.arg(inputsText(m.name, 0));
        } else if (m.name.contains(u':')) {
            const QString close = closestName(m.name, m_prometheus->server.recording.keys());
            message += close.isEmpty()
                ? u"; no recording rule records it: add rules/antibody.rules.yml to Prometheus (docs/prometheus-rules.md)"_s
                : u"; no recording rule records it (did you mean %1?)"_s.arg(close);
        } else if (const QString exporter = usualExporter(m.name); !exporter.isEmpty()) {
            message += u"; "_s + scrapedQuestion(exporter);
        }
        showExpects();
        v.missing << RunbookVerdict::Finding { where, message };
    }

    // "pg_stat_activity_count (0 series: is postgres_exporter scraped?), pg_settings_max_connections (0 series)"
    QString inputsText(const QString &recorded, int depth) const
    {
        QStringList parts;
        for (const QString &input : vectorSelectors(m_prometheus->server.recording.value(recorded))) {
            const QString name = selectorName(input);
            if (name.isEmpty() || parts.size() >= 6)
                continue;
            const auto count = m_prometheus->counts.constFind(name);
            QString part = name;
            if (count != m_prometheus->counts.constEnd() && count->ok) {
                part += u" ("_s + seriesText(count->series);
                if (count->series == 0 && m_prometheus->server.recording.contains(name) && depth + 1 < doctorRuleDepth)
                    part += u", recorded from "_s + inputsText(name, depth + 1);
                else if (const QString exporter = usualExporter(name); count->series == 0 && !exporter.isEmpty())
                    part += u": "_s + scrapedQuestion(exporter);
                part += u')';
            }
            if (!parts.contains(part))
                parts << part;
        }
        return parts.isEmpty() ? u"nothing it could name"_s : parts.join(u", "_s);
    }

    // The header's "Expects:" goes with the first alert or metric found missing.
    void showExpects() const { m_expectsShown = true; }

    void action(const RunbookNeeds &needs, const RunbookNeeds::Action &a, RunbookVerdict &v) const
    {
        const QString where = needs.at(a.line);
        const QString key = m_executors.value(a.action);
        if (key.isEmpty()) {
            QString hint;
            if (a.family == u"database"_s)
                hint = m_config.postgres.isEmpty() ? u"add executors.postgres"_s
                                                   : u"executors.postgres runs terminate_connections only"_s;
            else if (a.family == u"certificates"_s)
                hint = u"add executors.certificates: each certificate's PEM file and the command that renews it "
                       u"(docs/configuration.md)"_s;
            else if (a.family == u"workload"_s)
                hint = m_config.kubernetes ? u"executors.kubernetes runs restart_pods, scale and rollback_deployment"_s
                                           : u"add executors.kubernetes"_s;
            else
                hint = u"no connector runs the %1 family; only the simulated fleet does"_s.arg(a.family);
            v.missing << RunbookVerdict::Finding { where,
                u"step %1 runs %2, and no configured executor runs it: %3"_s.arg(a.step, a.action, hint) };
            return;
        }
        if (key == u"executors.kubernetes"_s) {
            if (m_kubernetes && !m_kubernetes->reachable)
                v.missing << RunbookVerdict::Finding { where,
                    u"step %1 runs %2 through executors.kubernetes, which is not reachable: %3"_s.arg(
                        a.step, a.action, m_kubernetes->detail) };
            else
                v.found << RunbookVerdict::Finding { where,
                    u"step %1 runs %2 through executors.kubernetes"_s.arg(a.step, a.action) };
            return;
        }
        if (key == u"executors.certificates"_s) {
            QStringList lacking;
            for (const CertificateFacts &c : m_certificates) {
                if (!c.ready)
                    lacking << u"%1, %2"_s.arg(c.name, c.detail);
            }
            if (lacking.isEmpty())
                v.found << RunbookVerdict::Finding { where,
                    u"step %1 runs %2 through executors.certificates (%3 certificate%4: readable, renewal commands "
                    u"found)"_s.arg(a.step, a.action)
                        .arg(m_certificates.size())
                        .arg(m_certificates.size() == 1 ? QString() : u"s"_s) };
            else
                v.missing << RunbookVerdict::Finding { where,
                    u"step %1 runs %2 through executors.certificates: %3"_s.arg(
                        a.step, a.action, lacking.join(u"; "_s)) };
            return;
        }
        bool allFine = true;
        for (const auto &[pg, facts] : m_databases) {
            const QString name = u"executors.postgres %1"_s.arg(pg.name);
            if (!facts.connected) {
                v.missing << RunbookVerdict::Finding { where,
                    u"step %1 runs %2 on %3, which cannot be reached: %4"_s.arg(a.step, a.action, name, facts.error) };
                allFine = false;
                continue;
            }
            if (!facts.mayTerminate) {
                v.missing << RunbookVerdict::Finding { where,
                    u"step %1 runs %2 on %3: role %4 cannot terminate connections: GRANT pg_signal_backend TO %4"_s.arg(
                        a.step, a.action, name, facts.role) };
                allFine = false;
            }
            if (!facts.maySeeSessions) {
                v.missing << RunbookVerdict::Finding { where,
                    u"step %1 runs %2 on %3: role %4 cannot see other roles' connections (their state and age): "
                    u"GRANT pg_read_all_stats TO %4"_s.arg(a.step, a.action, name, facts.role) };
                allFine = false;
            }
        }
        if (allFine) {
            v.found << RunbookVerdict::Finding { where,
                u"step %1 runs %2 through executors.postgres, whose role may"_s.arg(a.step, a.action)
                    + u" terminate and see other connections"_s };
        }
    }

    const Configuration &m_config;
    const PrometheusFacts *m_prometheus;
    const AlertmanagerFacts *m_alertmanager;
    const QHash<QString, QString> &m_executors;
    const QList<std::pair<PostgresConfig, PostgresFacts>> &m_databases;
    const std::optional<KubernetesFacts> &m_kubernetes;
    const QList<CertificateFacts> &m_certificates;
    mutable bool m_expectsShown = false;
};

} // namespace

RunbookVerdict runbookVerdict(
    const Configuration &config, const WorldFacts &facts, const Runbook &runbook, const RunbookNeeds &needs)
{
    return VerdictWriter(config, facts).verdict(runbook, needs);
}

} // namespace antibody
