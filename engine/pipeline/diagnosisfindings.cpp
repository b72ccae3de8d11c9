#include "engine/pipeline/diagnosisfindings.h"

#include "engine/pipeline/facttext.h"
#include "engine/pipeline/planner.h"
#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/metricunit.h"

#include <QJsonObject>
#include <QRegularExpression>
#include <cmath>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// "db_active_connections{service=\"orders-db\"}" -> "DB active connections": the scope is
// the incident's own service, and units show on the value ("1.681 s"), not in the name.
QString spokenMetric(const QString &expression)
{
    const QString name = metricNameOf(expression);
    if (name.isEmpty())
        return clippedText(expression);
    static const QStringList acronyms { u"cpu"_s, u"db"_s, u"gc"_s, u"http"_s, u"io"_s, u"dns"_s, u"tls"_s };
    QStringList words = name.split(QRegularExpression(u"[_:]+"_s), Qt::SkipEmptyParts);
    if (words.size() > 1 && (words.back() == u"seconds" || words.back() == u"total"))
        words.removeLast();
    for (QString &w : words) {
        if (acronyms.contains(w))
            w = w.toUpper();
    }
    return clippedText(words.join(u' '));
}

Measure::Kind unitOfSelector(const QString &expression, const Runbook *runbook)
{
    const QString name = metricNameOf(expression);
    return name.isEmpty() ? Measure::Kind::Plain : metricUnit(name, runbook);
}

std::optional<double> numberOf(const QVariantMap &facts, const QString &name)
{
    const auto it = facts.constFind(name);
    if (it == facts.constEnd())
        return std::nullopt;
    bool ok = false;
    const double v = it->toDouble(&ok);
    return ok || it->typeId() == QMetaType::Double ? std::optional<double>(v) : std::nullopt;
}

QString ageText(double seconds)
{
    if (!std::isfinite(seconds) || seconds < 0)
        return {};
    if (seconds < 1)
        return u"read just now"_s;
    if (seconds > 365.0 * 86400)
        return u"read over a year ago"_s;
    return u"read %1 ago"_s.arg(spokenDuration(Duration { std::llround(seconds * 1000) }));
}

// What one step of the diagnosis says, with the facts it has said taken out of `facts`.
struct StepReading
{
    QString step;
    const Step *spec = nullptr; // the runbook's step, when the runbook is known
    QJsonObject evidence; // the step's entry in diagnostics.steps
    const Runbook *runbook = nullptr;

    QString metric() const
    {
        const QString fromEvidence = evidence.value(u"metric"_s).toString();
        if (!fromEvidence.isEmpty() || !spec || !spec->param(u"metric"_s))
            return fromEvidence;
        return spec->param(u"metric"_s)->toText();
    }

    std::optional<Duration> window() const
    {
        if (const auto w = parseDuration(evidence.value(u"window"_s).toString()))
            return w;
        if (spec && spec->param(u"window"_s))
            return spec->param(u"window"_s)->toDuration();
        return std::nullopt;
    }

    // "error rate 31.7% (max 51.3% over 10 min), read 5 s ago"
    QString queried(QVariantMap &facts) const
    {
        const QString expression = metric();
        const Measure::Kind unit = unitOfSelector(expression, runbook);
        QString text = u"%1 %2"_s.arg(
            spokenMetric(expression.isEmpty() ? step : expression), measureText(*numberOf(facts, u"value"_s), unit));
        if (const auto max = numberOf(facts, u"max"_s)) {
            const auto span = window();
            text += span ? u" (max %1 over %2)"_s.arg(measureText(*max, unit), spokenDuration(*span))
                         : u" (max %1)"_s.arg(measureText(*max, unit));
        }
        if (const auto age = numberOf(facts, u"age_seconds"_s); age && !ageText(*age).isEmpty())
            text += u", "_s + ageText(*age);
        for (const QString &said : { u"value"_s, u"avg"_s, u"min"_s, u"max"_s, u"age_seconds"_s })
            facts.remove(said);
        return text;
    }
};

// collect_diagnostics' facts, worded after their descriptions in the catalog.
QString checkedText(const QString &fact, const QVariant &value)
{
    if (fact == u"cause") {
        const QString cause = clippedText(value.toString()).replace(u'_', u' ');
        return cause == u"unknown" ? u"cause not known"_s : u"likely cause: "_s + cause;
    }
    if (fact == u"recent_deploy")
        return value.toBool() ? u"a deploy finished in the last 30 min"_s : u"no deploy in the last 30 min"_s;
    struct Wording
    {
        QStringView fact;
        QStringView text;
        Measure::Kind unit;
    };
    static constexpr Wording wordings[] {
        { u"pool_utilization", u"connection pool %1 in use", Measure::Kind::Percent },
        { u"idle_connections", u"idle connections %1", Measure::Kind::Plain },
        { u"idle_ratio", u"idle: %1 of the connections in use", Measure::Kind::Percent },
        { u"long_running_queries", u"queries running over 30 s: %1", Measure::Kind::Plain },
        { u"traffic_ratio", u"traffic %1× its usual level", Measure::Kind::Plain },
        { u"unhealthy_targets", u"targets failing health checks: %1", Measure::Kind::Plain },
        { u"replication_lag_seconds", u"replication lag %1", Measure::Kind::Seconds },
        { u"restarts_recent", u"restarts in the last 10 min: %1", Measure::Kind::Plain },
    };
    bool ok = false;
    const double v = value.toDouble(&ok);
    for (const Wording &w : wordings) {
        if (w.fact == fact && ok)
            return w.text.toString().arg(measureText(v, w.unit));
    }
    return {};
}

} // namespace

QStringList diagnosisFindings(const Incident &incident, const Runbook *runbook)
{
    // step -> fact -> value, and how many steps have each fact name.
    QMap<QString, QVariantMap> bySteps;
    QHash<QString, int> stepsWithFact;
    for (auto it = incident.facts.cbegin(); it != incident.facts.cend(); ++it) {
        if (isStepOutcomeFact(it.key()))
            continue;
        const qsizetype dot = it.key().indexOf(u'.');
        const QString step = dot < 0 ? QString() : it.key().left(dot);
        const QString fact = it.key().mid(dot + 1);
        bySteps[step].insert(fact, it.value());
        ++stepsWithFact[fact];
    }
    // The diagnosis steps in the runbook's order; what later steps leave (terminated = 6,
    // the verify step's last value) is the execution's story, told by its progress.
    QStringList order;
    QStringList later;
    if (runbook) {
        const int diagnosing = Planner::diagnosisSteps(*runbook);
        for (int i = 0; i < runbook->steps.size(); ++i) {
            const QString &name = runbook->steps.at(i).name;
            (i < diagnosing ? order : later) << name;
        }
        order.removeIf([&](const QString &name) { return !bySteps.contains(name); });
    }
    for (auto it = bySteps.cbegin(); it != bySteps.cend(); ++it) {
        if (!order.contains(it.key()) && !later.contains(it.key()))
            order << it.key();
    }

    const QJsonObject evidence = incident.diagnostics.value(u"steps"_s).toObject();
    QStringList findings;
    for (const QString &step : std::as_const(order)) {
        QVariantMap facts = bySteps.value(step);
        const StepReading reading { step, runbook ? runbook->step(step) : nullptr, evidence.value(step).toObject(),
            runbook };
        const QString action = reading.spec ? reading.spec->action : QString();
        const bool hasValue = numberOf(facts, u"value"_s).has_value();
        const bool looksQueried
            = facts.contains(u"max"_s) || facts.contains(u"age_seconds"_s) || reading.evidence.contains(u"window"_s);
        if (hasValue && (ActionCatalog::hasRole(action, ActionRole::ReadMetrics) || (action.isEmpty() && looksQueried)))
            findings << reading.queried(facts);
        // What the checks found, in the order the catalog declares the facts.
        const ActionCatalog &catalog = ActionCatalog::instance();
        if (const ActionSpec *checks
            = action.isEmpty() ? catalog.withRole(ActionRole::Diagnose) : catalog.find(action)) {
            for (const FactSpec &f : checks->facts) {
                const QString text = facts.contains(f.name) ? checkedText(f.name, facts.value(f.name)) : QString();
                if (!text.isEmpty()) {
                    findings << text;
                    facts.remove(f.name);
                }
            }
        }
        // The rest as it is, with the step's name only where two steps share the fact's name.
        for (auto it = facts.cbegin(); it != facts.cend(); ++it) {
            const QString key = step.isEmpty() || stepsWithFact.value(it.key()) < 2 ? it.key() : step + u'.' + it.key();
            findings << u"%1 = %2"_s.arg(clippedText(key), clippedText(factText(it.value())));
        }
    }
    return findings;
}

} // namespace antibody
