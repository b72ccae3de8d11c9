#include "engine/runbook/runbookformat.h"

#include "engine/runbook/actioncatalog.h"

#include <cstdlib>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

FormatKey key(QString name, ValueKind kind, QString description, QString defaultValue = {})
{
    FormatKey k;
    k.name = std::move(name);
    k.kind = kind;
    k.description = std::move(description);
    k.defaultValue = std::move(defaultValue);
    return k;
}

FormatKey required(QString name, ValueKind kind, QString description)
{
    FormatKey k = key(std::move(name), kind, std::move(description));
    k.required = true;
    return k;
}

FormatKey integer(QString name, int minimum, int maximum, QString defaultValue, QString description)
{
    FormatKey k = key(std::move(name), ValueKind::Integer, std::move(description), std::move(defaultValue));
    k.minimum = minimum;
    k.maximum = maximum;
    return k;
}

FormatKey choice(QString name, QStringList values, QString defaultValue, QString description)
{
    FormatKey k = key(std::move(name), ValueKind::Choice, std::move(description), std::move(defaultValue));
    k.values = std::move(values);
    return k;
}

FormatKey serviceList(QString name, int maximum, QString description)
{
    FormatKey k = key(std::move(name), ValueKind::ServiceList, std::move(description));
    k.maximum = maximum;
    return k;
}

FormatKey section(QString name, ValueKind kind, QString sectionName, bool isRequired, QString description)
{
    FormatKey k = key(std::move(name), kind, std::move(description));
    k.section = std::move(sectionName);
    k.required = isRequired;
    return k;
}

QList<FormatSection> buildFormat()
{
    QList<FormatSection> f;
    f << FormatSection { u"runbook"_s, u"the runbook"_s,
        {
            required(u"name"_s, ValueKind::Name,
                u"Unique name of the runbook in the library, e.g. `connection-pool-exhaustion`."_s),
            key(u"description"_s, ValueKind::Text, u"What the runbook is for, in a sentence or two."_s),
            integer(u"level"_s, 0, 4, u"2"_s,
                u"Automation level: 0 alert only, 1 checklist, 2 one click approves, 3 automated within guardrails, 4 adaptive."_s),
            key(u"owner"_s, ValueKind::Text, u"Team or person who reviews changes to it."_s),
            key(u"tags"_s, ValueKind::TextList, u"Free words for searching and grouping."_s),
            section(u"trigger"_s, ValueKind::Section, u"trigger"_s, true,
                u"Which alerts or metric conditions open an incident this runbook handles."_s),
            section(u"steps"_s, ValueKind::SectionList, u"step"_s, true, u"The remediation, run in order."_s),
            key(u"cooldown"_s, ValueKind::Duration,
                u"Least time between two separate remediations of the same resource (anti-flapping)."_s, u"3m"_s),
            section(u"circuit_breaker"_s, ValueKind::Section, u"circuit_breaker"_s, false,
                u"When repeated failures stop automation of this runbook and page a human."_s),
            section(u"guards"_s, ValueKind::SectionList, u"guard"_s, false,
                u"The runbook's own \"do not act while\" conditions, on diagnosis facts or alert labels."_s),
            integer(u"approvals"_s, 1, 5, u"1"_s,
                u"How many distinct people must approve a plan that waits for approval."_s),
            key(u"page_waiting_after"_s, ValueKind::Duration,
                u"How long a plan may wait for approval before the person on call is paged about it (unset: by the "
                u"alert's severity, critical 2m, high 5m, anything else 10m)."_s),
            key(u"group_by"_s, ValueKind::TextList,
                u"Alert labels that tell one problem from another: alerts that agree on them are one incident (unset: "
                u"`[service]`)."_s),
            key(u"symptoms"_s, ValueKind::TextList,
                u"Alert selectors of alerts that are symptoms of this problem: while its incident is open they join it."_s),
            section(u"drill"_s, ValueKind::Section, u"drill"_s, false,
                u"Which simulator scenario or fault exercises this runbook, and what passing means."_s),
            serviceList(u"services"_s, 500,
                u"The services (alert `service` labels) this runbook may act on: an alert for another service does "
                u"not match it (unset: any service). Alert labels are whatever the sender wrote; this list is the "
                u"runbook's own."_s),
        } };
    f << FormatSection { u"trigger"_s, u"the trigger"_s,
        {
            key(u"alert"_s, ValueKind::Expression,
                u"An alert selector (`HighCpu{service=\"checkout-svc\"}`) or one metric expression (`db_pool_utilization > 90%`)."_s),
            key(u"any"_s, ValueKind::ExpressionList,
                u"Metric expressions; the trigger holds when any of them does (composite scale-out)."_s),
            key(u"all"_s, ValueKind::ExpressionList,
                u"Metric expressions; the trigger holds when all of them do (composite scale-in)."_s),
            key(u"for"_s, ValueKind::Duration, u"How long the trigger must hold before an incident opens."_s, u"0s"_s),
            choice(u"confidence"_s, { u"low"_s, u"medium"_s, u"high"_s }, u"medium"_s,
                u"How well understood the pattern is; only `high` may run unattended (level 3+)."_s),
        } };
    f << FormatSection { u"step"_s, u"the step"_s,
        {
            required(
                u"name"_s, ValueKind::Name, u"Unique name of the step; conditions refer to it (`verify.failed`)."_s),
            section(u"action"_s, ValueKind::Action, {}, true, u"The catalog action to run (`antibodyctl catalog`)."_s),
            key(u"params"_s, ValueKind::Params, u"The action's parameters; see the action reference below."_s),
            section(u"blast_radius"_s, ValueKind::Section, u"blast_radius"_s, false,
                u"Most of the fleet one cycle may touch. Required for every action that changes something."_s),
            key(u"condition"_s, ValueKind::Condition,
                u"Run the step only when this holds (`verify.failed`, `diagnose.cause == leak`)."_s),
            key(u"timeout"_s, ValueKind::Duration, u"Overrides the action's default timeout."_s),
            section(u"targets"_s, ValueKind::Section, u"targets"_s, false,
                u"Which members of the fleet the step acts on (default: all of the incident's service)."_s),
        } };
    FormatSection blast { u"blast_radius"_s, u"the blast radius"_s, {} };
    for (const QString &dimension : ActionCatalog::dimensions()) {
        FormatKey cap = key(u"max_"_s + dimension, ValueKind::Cap,
            u"Most %1 one cycle may touch: a share (`\"15%\"`) or a count (`2`)."_s.arg(dimension));
        blast.keys << cap;
    }
    blast.keys << integer(u"max_cycles"_s, 1, 100, {},
        u"Most cycles (passes) the step may run; default: enough to cover its targets, at most 10."_s);
    f << blast;
    f << FormatSection { u"targets"_s, u"the targets"_s,
        {
            key(u"service"_s, ValueKind::Text,
                u"The service whose fleet the step acts on (default: the alert's `service` label)."_s),
            key(u"match"_s, ValueKind::Selector, u"Label matchers on the targets: `{zone=\"eu-west-1a\"}`."_s),
            key(u"where"_s, ValueKind::Condition, u"A condition on each target's metrics: `cpu > 95%`."_s),
        } };
    f << FormatSection { u"circuit_breaker"_s, u"the circuit breaker"_s,
        {
            integer(u"failures"_s, 1, 100, u"3"_s, u"Failures within `window` that open the breaker."_s),
            key(u"window"_s, ValueKind::Duration, u"The window failures are counted in."_s, u"10m"_s),
            key(u"cool_off"_s, ValueKind::Duration,
                u"How long the breaker stays open before one trial run (half-open)."_s, u"15m"_s),
        } };
    f << FormatSection { u"guard"_s, u"the guard"_s,
        {
            required(u"name"_s, ValueKind::Name, u"Name of the guard, shown when it holds."_s),
            required(u"when"_s, ValueKind::Condition,
                u"While this holds, nothing is executed (`diagnose.replication_lag_seconds > 10s`)."_s),
            required(u"reason"_s, ValueKind::Text, u"Why, in a sentence a tired engineer understands."_s),
        } };
    f << FormatSection { u"drill"_s, u"the drill"_s,
        {
            key(u"scenario"_s, ValueKind::Text,
                u"The simulator scenario that exercises the runbook (`antibodyctl scenarios`)."_s),
            key(u"fault"_s, ValueKind::Text, u"Or a single simulator fault to inject."_s),
            choice(u"expect"_s, { u"resolved"_s, u"escalated"_s }, u"resolved"_s,
                u"The outcome that counts as passing."_s),
            key(u"max_mttr"_s, ValueKind::Duration, u"Fails the drill when resolving takes longer (simulated time)."_s),
        } };
    return f;
}

} // namespace

const FormatKey *FormatSection::key(QStringView keyName) const
{
    for (const FormatKey &k : keys) {
        if (k.name == keyName)
            return &k;
    }
    return nullptr;
}

QStringList FormatSection::keyNames() const
{
    QStringList out;
    for (const FormatKey &k : keys)
        out << k.name;
    return out;
}

RunbookFormat::RunbookFormat()
    : m_sections(buildFormat())
{
}

const RunbookFormat &RunbookFormat::instance()
{
    static const RunbookFormat format;
    return format;
}

const FormatSection &RunbookFormat::section(QStringView name) const
{
    for (const FormatSection &s : m_sections) {
        if (s.name == name)
            return s;
    }
    std::abort(); // a programming error: every section name used in code is in the table
}

QString RunbookFormat::kindText(ValueKind kind)
{
    switch (kind) {
    case ValueKind::Text:
        return u"text"_s;
    case ValueKind::Name:
        return u"name"_s;
    case ValueKind::Integer:
        return u"integer"_s;
    case ValueKind::Duration:
        return u"duration"_s;
    case ValueKind::Choice:
        return u"choice"_s;
    case ValueKind::Expression:
        return u"trigger expression"_s;
    case ValueKind::ExpressionList:
        return u"list of metric expressions"_s;
    case ValueKind::Condition:
        return u"condition"_s;
    case ValueKind::Selector:
        return u"label matchers"_s;
    case ValueKind::TextList:
        return u"list of texts"_s;
    case ValueKind::ServiceList:
        return u"list of service names"_s;
    case ValueKind::Section:
        return u"mapping"_s;
    case ValueKind::SectionList:
        return u"list of mappings"_s;
    case ValueKind::Action:
        return u"action name"_s;
    case ValueKind::Params:
        return u"mapping of parameters"_s;
    case ValueKind::Cap:
        return u"cap"_s;
    }
    return {};
}

} // namespace antibody
