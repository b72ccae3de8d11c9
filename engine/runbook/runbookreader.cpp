#include "engine/runbook/runbookreader.h"

#include "engine/domain/outcome.h"
#include "engine/runbook/actioncatalog.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

const FormatKey &formatKey(QStringView section, QStringView key)
{
    return *RunbookFormat::instance().section(section).key(key);
}

// Does this step page a human when something failed? An unconditional page counts too.
bool escalates(const Step &step)
{
    if (!ActionCatalog::hasRole(step.action, ActionRole::Page))
        return false;
    if (!step.condition)
        return true;
    const auto references = step.condition->references();
    return std::any_of(references.begin(), references.end(), [](const QStringList &path) {
        if (path.size() != 2 || path.front() == u"alert"_s)
            return false;
        const auto result = stepResultFromText(path.at(1));
        return result && (*result == StepResult::Failed || *result == StepResult::TimedOut);
    });
}

} // namespace

RunbookReader::RunbookReader(DiagnosticReport &report)
    : m_reader(report)
    , m_conditions(report)
    , m_steps(m_reader, m_conditions)
{
}

template <typename T>
bool RunbookReader::readKey(
    const YamlNode &map, QStringView key, T &field, const std::function<std::optional<T>(const YamlNode &)> &read)
{
    const YamlNode *node = map.value(key);
    if (!node)
        return !map.has(key); // a duplicated key is an error already
    const std::optional<T> value = read(*node);
    if (value)
        field = *value;
    return value.has_value();
}

std::optional<Runbook> RunbookReader::read(const YamlNode &root)
{
    if (!root.isMap()) {
        m_reader.wrongType(root, u"a runbook"_s, u"a mapping"_s,
            u"a runbook starts with `name:`, `trigger:` and `steps:` (see docs/runbook-format.md)"_s);
        return std::nullopt;
    }
    m_reader.checkKeys(root, RunbookFormat::instance().section(u"runbook"), u"the runbook"_s);
    Runbook runbook;
    runbook.location = root.location;
    bool ok = !m_reader.report().hasErrors();
    const auto text
        = [this](const QString &what) { return [this, what](const YamlNode &n) { return m_reader.text(n, what); }; };
    const auto duration = [this](const QString &what) {
        return [this, what](const YamlNode &n) { return m_reader.duration(n, what); };
    };
    const auto integer = [this](QStringView section, QStringView key, const QString &what) {
        const FormatKey &k = formatKey(section, key);
        return [this, what, min = k.minimum, max = k.maximum](
                   const YamlNode &n) { return m_reader.integer(n, min, max, what); };
    };
    ok = readKey<QString>(root, u"name", runbook.name, [this](const YamlNode &n) {
        return m_reader.name(n, u"the runbook name"_s);
    }) && ok;
    ok = readKey<QString>(root, u"description", runbook.description, text(u"`description`"_s)) && ok;
    ok = readKey<QString>(root, u"owner", runbook.owner, text(u"`owner`"_s)) && ok;
    ok = readKey<QStringList>(root, u"tags", runbook.tags, [this](const YamlNode &n) {
        return m_reader.textList(n, u"`tags`"_s);
    }) && ok;
    ok = readKey<int>(root, u"level", runbook.level, integer(u"runbook", u"level", u"`level`"_s)) && ok;
    ok = readKey<int>(root, u"approvals", runbook.approvals, integer(u"runbook", u"approvals", u"`approvals`"_s)) && ok;
    ok = readKey<Duration>(root, u"cooldown", runbook.cooldown, duration(u"`cooldown`"_s)) && ok;
    if (const YamlNode *after = root.value(u"page_waiting_after")) {
        runbook.pageWaitingAfter = m_reader.duration(*after, u"`page_waiting_after`"_s);
        ok = runbook.pageWaitingAfter.has_value() && ok;
    }
    ok = readKey<QStringList>(root, u"group_by", runbook.groupBy, [this](const YamlNode &n) {
        return m_reader.textList(n, u"`group_by`"_s);
    }) && ok;
    ok = readKey<QStringList>(root, u"services", runbook.services, [this](const YamlNode &n) {
        return m_reader.serviceList(n, formatKey(u"runbook", u"services").maximum, u"`services`"_s);
    }) && ok;
    if (const YamlNode *symptoms = root.value(u"symptoms"))
        ok = readSymptoms(*symptoms, runbook) && ok;
    if (const YamlNode *breaker = root.value(u"circuit_breaker"))
        ok = readBreaker(*breaker, runbook.breaker) && ok;
    if (const YamlNode *drill = root.value(u"drill")) {
        runbook.drill = readDrill(*drill);
        ok = runbook.drill.has_value() && ok;
    }
    bool triggerOk = false;
    if (const YamlNode *trigger = root.value(u"trigger"))
        triggerOk = readTrigger(*trigger, runbook.trigger);
    ok = triggerOk && ok;
    bool stepsOk = false;
    if (const YamlNode *steps = root.value(u"steps"))
        stepsOk = readSteps(*steps, runbook);
    ok = stepsOk && ok;
    if (const YamlNode *guards = root.value(u"guards"))
        ok = readGuards(*guards, runbook) && ok;
    ok = checkLevelPolicy(root, runbook, triggerOk, stepsOk) && ok;
    if (!ok || m_reader.report().hasErrors())
        return std::nullopt;
    return runbook;
}

bool RunbookReader::readTrigger(const YamlNode &node, Trigger &trigger)
{
    if (!m_reader.checkKeys(node, RunbookFormat::instance().section(u"trigger"), u"the trigger"_s))
        return false;
    trigger.location = node.location;
    QStringList forms;
    for (const QString &form : { u"alert"_s, u"any"_s, u"all"_s }) {
        if (node.has(form))
            forms << form;
    }
    bool ok = true;
    if (forms.isEmpty()) {
        m_reader.report().add(DiagnosticCode::MissingKey, node.location,
            u"the trigger has none of `alert`, `any` or `all`"_s,
            u"add `alert: AlertName` (or a metric expression such as `db_pool_utilization > 90%`), or `any:`/`all:` with a list of metric expressions"_s);
        ok = false;
    } else if (forms.size() > 1) {
        m_reader.report().add(DiagnosticCode::ConflictingKeys, node.location,
            u"the trigger gives %1; it takes exactly one"_s.arg(forms.join(u" and "_s)),
            u"use `alert:` for one alert or expression, `any:` or `all:` for a composite"_s);
        ok = false;
    }
    const auto parseExpression = [&](const YamlNode &exprNode, bool metricOnly) -> bool {
        if (!exprNode.isScalar()) {
            m_reader.wrongType(exprNode, u"a trigger expression"_s, u"text"_s,
                u"write e.g. `HighCpu{service=\"checkout-svc\"}` or `cpu_utilization > 90%`"_s);
            return false;
        }
        TriggerExpression::ParseError error;
        const auto expr = TriggerExpression::parse(exprNode.scalar, &error);
        if (!expr) {
            m_reader.report().add(DiagnosticCode::InvalidTrigger, exprNode.at(error.column),
                u"trigger `%1`: %2"_s.arg(exprNode.scalar, error.message),
                u"write an alert selector `AlertName{label=\"value\"}` or a metric expression `metric{label=\"value\"} > 90%`"_s);
            return false;
        }
        if (metricOnly && !expr->isMetric()) {
            m_reader.report().add(DiagnosticCode::InvalidTrigger, exprNode.location,
                u"`%1` is an alert selector; `any:` and `all:` combine metric expressions"_s.arg(exprNode.scalar),
                u"give it a comparison (`queue_depth > 100`), or use `alert:` for an alert"_s);
            return false;
        }
        trigger.expressions << *expr;
        return true;
    };
    if (const YamlNode *alert = node.value(u"alert")) {
        ok = parseExpression(*alert, false) && ok;
        trigger.text = alert->scalar;
    }
    for (const QString &form : { u"any"_s, u"all"_s }) {
        const YamlNode *list = node.value(form);
        if (!list)
            continue;
        trigger.mode = form == u"any"_s ? Trigger::Mode::Any : Trigger::Mode::All;
        if (!m_reader.expectList(
                *list, u"`%1`"_s.arg(form), u"write a list of metric expressions, one `- expr` per line"_s)) {
            ok = false;
            continue;
        }
        if (list->items.isEmpty()) {
            m_reader.wrongType(*list, u"`%1`"_s.arg(form), u"a list of at least one metric expression"_s,
                u"add the metric expressions it combines"_s);
            ok = false;
        }
        QStringList texts;
        for (const auto &item : list->items) {
            ok = parseExpression(*item, true) && ok;
            texts << item->scalar;
        }
        trigger.text = texts.join(form == u"any"_s ? u" or "_s : u" and "_s);
    }
    ok = readKey<Duration>(node, u"for", trigger.forDuration, [this](const YamlNode &n) {
        return m_reader.duration(n, u"`for`"_s);
    }) && ok;
    if (const YamlNode *confidence = node.value(u"confidence")) {
        const FormatKey &key = formatKey(u"trigger", u"confidence");
        const auto value = m_reader.choice(*confidence, key.values, u"`confidence`"_s);
        ok = value.has_value() && ok;
        if (value)
            trigger.confidence = static_cast<Confidence>(key.values.indexOf(*value));
    }
    return ok;
}

bool RunbookReader::readSymptoms(const YamlNode &node, Runbook &runbook)
{
    if (!m_reader.expectList(
            node, u"`symptoms`"_s, u"write a list of alert selectors, one `- HighErrorRate` per line"_s))
        return false;
    bool ok = true;
    for (const auto &item : node.items) {
        TriggerExpression::ParseError error;
        const auto expr = item->isScalar() ? TriggerExpression::parse(item->scalar, &error) : std::nullopt;
        if (!item->isScalar() || !expr || expr->isMetric()) {
            m_reader.report().add(DiagnosticCode::InvalidTrigger,
                expr || !item->isScalar() ? item->location : item->at(error.column),
                u"symptom `%1`: %2"_s.arg(item->scalar,
                    expr                    ? u"a metric expression, not an alert selector"_s
                        : !item->isScalar() ? u"not text"_s
                                            : error.message),
                u"write an alert selector such as `HighErrorRate` or `HighErrorRate{region=\"us-east-1\"}`"_s);
            ok = false;
            continue;
        }
        runbook.symptoms << *expr;
    }
    return ok;
}

bool RunbookReader::readSteps(const YamlNode &node, Runbook &runbook)
{
    if (!m_reader.expectList(node, u"`steps`"_s, u"write each step as `- name: ...` indented under `steps:`"_s))
        return false;
    if (node.items.isEmpty()) {
        m_reader.report().add(DiagnosticCode::NoSteps, node.location, u"`steps` is empty"_s,
            u"a runbook needs at least one step; a level 0 runbook can still `notify` or `page_oncall`"_s);
        return false;
    }
    for (qsizetype i = 0; i < node.items.size(); ++i) {
        const YamlNode &item = *node.items[i];
        const YamlNode *name = item.isMap() ? item.value(u"name") : nullptr;
        if (name && name->isScalar() && !m_stepPosition.contains(name->scalar))
            m_stepPosition.insert(name->scalar, i);
    }
    bool ok = true;
    QHash<QString, SourceLocation> seen;
    for (int i = 0; i < node.items.size(); ++i) {
        const YamlNode &item = *node.items.at(i);
        Step step;
        ok = m_steps.read(item, i, runbook.steps, m_stepPosition, runbook.level, step) && ok;
        if (!step.name.isEmpty() && seen.contains(step.name)) {
            const YamlNode *nameNode = item.value(u"name");
            m_reader.report().add(DiagnosticCode::DuplicateStep, nameNode ? nameNode->location : item.location,
                u"step name `%1` is used twice (first on line %2)"_s.arg(
                    step.name, QString::number(seen.value(step.name).line)),
                u"give every step its own name: conditions refer to steps by name"_s);
            ok = false;
        }
        if (!step.name.isEmpty() && !seen.contains(step.name))
            seen.insert(step.name, item.value(u"name")->location);
        // Broken steps stay in the list so that later conditions can still refer to
        // them; the runbook is dropped anyway when anything is an error.
        runbook.steps << step;
    }
    return ok;
}

bool RunbookReader::readBreaker(const YamlNode &node, BreakerSpec &breaker)
{
    if (!m_reader.checkKeys(node, RunbookFormat::instance().section(u"circuit_breaker"), u"`circuit_breaker`"_s))
        return false;
    const FormatKey &failures = formatKey(u"circuit_breaker", u"failures");
    bool ok = readKey<int>(node, u"failures", breaker.failures, [&](const YamlNode &n) {
        return m_reader.integer(n, failures.minimum, failures.maximum, u"`failures` of the circuit breaker"_s);
    });
    ok = readKey<Duration>(node, u"window", breaker.window, [this](const YamlNode &n) {
        return m_reader.duration(n, u"`window` of the circuit breaker"_s);
    }) && ok;
    ok = readKey<Duration>(node, u"cool_off", breaker.coolOff, [this](const YamlNode &n) {
        return m_reader.duration(n, u"`cool_off` of the circuit breaker"_s);
    }) && ok;
    return ok;
}

bool RunbookReader::readGuards(const YamlNode &node, Runbook &runbook)
{
    if (!m_reader.expectList(node, u"`guards`"_s, u"write each guard as `- name: ...` with `when:` and `reason:`"_s))
        return false;
    bool ok = true;
    for (int i = 0; i < node.items.size(); ++i) {
        const YamlNode &item = *node.items.at(i);
        const QString label = u"guard %1"_s.arg(i + 1);
        if (!m_reader.checkKeys(item, RunbookFormat::instance().section(u"guard"), label)) {
            ok = false;
            continue;
        }
        RunbookGuard guard;
        guard.location = item.location;
        ok = readKey<QString>(item, u"name", guard.name, [&](const YamlNode &n) {
            return m_reader.name(n, u"the name of "_s + label);
        }) && ok;
        ok = readKey<QString>(item, u"reason", guard.reason, [&](const YamlNode &n) {
            return m_reader.text(n, u"the reason of "_s + label);
        }) && ok;
        if (const YamlNode *when = item.value(u"when")) {
            guard.whenText = when->scalar;
            guard.when
                = m_conditions.check(*when, u"`when` of guard `%1`"_s.arg(guard.name.isEmpty() ? label : guard.name),
                    ConditionScope { runbook.steps, m_stepPosition, runbook.steps.size(), {} });
            ok = guard.when && ok;
        }
        runbook.guards << guard;
    }
    return ok;
}

std::optional<DrillSpec> RunbookReader::readDrill(const YamlNode &node)
{
    if (!m_reader.checkKeys(node, RunbookFormat::instance().section(u"drill"), u"`drill`"_s))
        return std::nullopt;
    DrillSpec drill;
    drill.location = node.location;
    if (!node.has(u"scenario") && !node.has(u"fault")) {
        m_reader.report().add(DiagnosticCode::MissingKey, node.location,
            u"the drill names neither a `scenario` nor a `fault`"_s,
            u"add `scenario:` with a simulator scenario (`antibodyctl scenarios`), or `fault:`"_s);
        return std::nullopt;
    }
    bool ok = readKey<QString>(node, u"scenario", drill.scenario,
        [this](const YamlNode &n) { return m_reader.name(n, u"the drill scenario"_s); });
    ok = readKey<QString>(node, u"fault", drill.fault, [this](const YamlNode &n) {
        return m_reader.name(n, u"the drill fault"_s);
    }) && ok;
    ok = readKey<QString>(node, u"expect", drill.expect, [this](const YamlNode &n) {
        return m_reader.choice(n, formatKey(u"drill", u"expect").values, u"`expect` of the drill"_s);
    }) && ok;
    if (const YamlNode *mttr = node.value(u"max_mttr")) {
        drill.maxMttr = m_reader.duration(*mttr, u"`max_mttr` of the drill"_s);
        ok = drill.maxMttr.has_value() && ok;
    }
    return ok ? std::optional<DrillSpec>(drill) : std::nullopt;
}

bool RunbookReader::checkLevelPolicy(const YamlNode &root, const Runbook &runbook, bool triggerOk, bool stepsOk)
{
    if (runbook.level < 3)
        return true;
    const YamlNode::Entry *level = root.entry(u"level");
    const SourceLocation levelAt = level ? level->keyLocation : root.location;
    bool ok = true;
    if (triggerOk && runbook.trigger.confidence != Confidence::High) {
        const YamlNode *trigger = root.value(u"trigger");
        const YamlNode::Entry *confidence = trigger->entry(u"confidence");
        m_reader.report().add(DiagnosticCode::NeedsHighConfidence,
            confidence ? confidence->value->location : trigger->location,
            u"a level %1 runbook runs unattended, but its trigger confidence is %2"_s.arg(
                QString::number(runbook.level), confidenceText(runbook.trigger.confidence)),
            u"set `confidence: high` once the pattern is well understood, or lower `level` to 2 (one click approves)"_s);
        ok = false;
    }
    // With a broken step the escalation may be the broken one: say nothing until it reads.
    if (stepsOk && !std::any_of(runbook.steps.begin(), runbook.steps.end(), escalates)) {
        m_reader.report().add(DiagnosticCode::NoEscalation, levelAt,
            u"a level %1 runbook must page a human when it fails, and none of its steps does"_s.arg(
                QString::number(runbook.level)),
            u"add a last step: `{ name: escalate, action: page_oncall, condition: \"verify.failed\", params: { context: \"...\" } }`"_s);
        ok = false;
    }
    return ok;
}

} // namespace antibody
