#pragma once

#include "engine/core/labels.h"
#include "engine/core/time.h"
#include "engine/runbook/condition.h"
#include "engine/runbook/measure.h"
#include "engine/runbook/triggerexpression.h"

#include <QByteArray>
#include <QList>
#include <QMap>
#include <QString>
#include <QVariant>
#include <memory>
#include <optional>

namespace antibody {

using namespace std::chrono_literals;

// 1-based line and column in the runbook file; 0 when not known.
struct SourceLocation
{
    int line = 0;
    int column = 0;
};

enum class Confidence { Low, Medium, High };
QString confidenceText(Confidence c);

// The types a catalog action's parameter may have (see ActionCatalog).
enum class ParamType {
    String, // any text
    Integer, // whole number
    Number, // any number
    Bool,
    Duration, // "300s", "5m", "1h30m"  -> milliseconds
    Percent, // "15%" or 0.15           -> fraction
    Threshold, // "70%", "4.2s", 100      -> Measure (fraction, seconds or plain)
    Count, // "15%" or 2              -> Cap
    Metric, // a metric name with matchers, or PromQL on a Prometheus source
    Enum, // one of the catalog's listed values
    StringList, // [a, b]
    StringMap, // { key: value }
};
QString paramTypeText(ParamType t);

// A parameter value as loaded: the normalized value plus the text as written.
struct ParamValue
{
    ParamType type = ParamType::String;
    QVariant value; // String/Metric/Enum: QString; Integer: qint64; Number: double; Bool: bool;
                    // Duration: qint64 ms; Percent: double; StringList: QStringList; StringMap: QVariantMap
    std::optional<Measure> measure; // Threshold
    std::optional<Cap> cap; // Count
    QString text;
    SourceLocation location;

    QString toText() const { return value.toString(); }
    Duration toDuration() const { return Duration { value.toLongLong() }; }
    double toNumber() const { return measure ? measure->value : value.toDouble(); }
};

// `blast_radius: { max_pods: "15%", max_cycles: 5 }`: one cap on one dimension.
struct BlastRadiusSpec
{
    QString dimension; // pods, connections, regions, hosts, replicas, certificates, databases, targets
    Cap cap;
    int maxCycles = 0; // 0: the engine's default (enough cycles to cover the chosen targets, at most 10)
    SourceLocation location;
};

// Which members of the fleet a mutating step acts on. Unset fields default to the
// incident: the service label of the alert that opened it, every member.
struct TargetSelector
{
    QString service; // fleet scope; empty: the incident's `service` label
    QList<LabelMatcher> matchers; // on target labels: zone, region, version...
    QString whereText; // per-target filter on target metrics: "cpu > 95%"
    std::shared_ptr<const Condition> where;
    SourceLocation location;

    bool isSet() const { return !service.isEmpty() || !matchers.isEmpty() || where; }
};

struct Step
{
    QString name;
    QString action;
    QMap<QString, ParamValue> params;
    std::optional<BlastRadiusSpec> blastRadius;
    QString conditionText;
    std::shared_ptr<const Condition> condition; // runs only when this holds
    TargetSelector targets;
    std::optional<Duration> timeout; // overrides the action's default
    SourceLocation location;

    bool hasParam(const QString &key) const { return params.contains(key); }
    const ParamValue *param(const QString &key) const
    {
        const auto it = params.constFind(key);
        return it == params.constEnd() ? nullptr : &it.value();
    }
};

// `trigger:` — one alert selector or metric expression (`alert:`), or a composite
// of metric expressions (`any:` / `all:`), holding for `for:`.
struct Trigger
{
    enum class Mode { Any, All };

    Mode mode = Mode::Any;
    QList<TriggerExpression> expressions;
    Duration forDuration { 0 };
    Confidence confidence = Confidence::Medium;
    QString text; // as written, for explanations
    SourceLocation location;

    bool isMetric() const { return !expressions.isEmpty() && expressions.front().isMetric(); }
};

struct BreakerSpec
{
    int failures = 3; // failures within `window` open the breaker
    Duration window = 10min;
    Duration coolOff = 15min; // open -> half-open after this long
};

// A runbook's own "do not act while..." condition on diagnosis facts, in addition
// to the four never-automate guards that always hold.
struct RunbookGuard
{
    QString name;
    QString whenText;
    std::shared_ptr<const Condition> when;
    QString reason;
    SourceLocation location;
};

// `drill:` — which simulator scenario or fault exercises this runbook, and what passing means.
struct DrillSpec
{
    QString scenario;
    QString fault;
    QString expect = QStringLiteral("resolved"); // resolved | escalated
    std::optional<Duration> maxMttr;
    SourceLocation location;
};

struct Runbook
{
    QString name;
    QString description;
    QString file;
    QByteArray sourceHash; // SHA-256 of the file's bytes: "which version is live"
    int level = 2;
    Trigger trigger;
    QList<Step> steps;
    Duration cooldown = 3min;
    BreakerSpec breaker;
    QList<RunbookGuard> guards;
    int approvals = 1; // distinct approvers required
    // Alert labels that tell one problem from another: alerts of this runbook that
    // agree on them are one incident (Alertmanager's `group_by`).
    QStringList groupBy { QStringLiteral("service") };
    // Alerts that are symptoms of this runbook's problem: while its incident is open
    // they join it instead of opening incidents of their own.
    QList<TriggerExpression> symptoms;
    // The services (alert `service` labels) this runbook may act on, as written; empty:
    // any. Labels come from whoever can post an alert: this list is the runbook's own.
    QStringList services;
    // How long a plan may wait for approval before the person on call is paged;
    // unset: by the alert's severity.
    std::optional<Duration> pageWaitingAfter;
    std::optional<DrillSpec> drill;
    QString owner;
    QStringList tags;
    SourceLocation location;

    // Whether an incident of `service` is this runbook's to handle.
    bool appliesTo(const QString &service) const { return services.isEmpty() || services.contains(service); }

    const Step *step(QStringView stepName) const
    {
        for (const Step &s : steps) {
            if (s.name == stepName)
                return &s;
        }
        return nullptr;
    }
};

} // namespace antibody
