#include "engine/runbook/stepreader.h"

#include "engine/runbook/didyoumean.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QString firstSentence(const QString &text)
{
    const qsizetype end = text.indexOf(u". "_s);
    return end < 0 ? text : text.left(end + 1);
}

} // namespace

StepReader::StepReader(NodeReader &reader, ConditionChecker &conditions)
    : m_reader(reader)
    , m_conditions(conditions)
    , m_params(reader)
{
}

bool StepReader::read(const YamlNode &node, int index, const QList<Step> &earlier,
    const QHash<QString, qsizetype> &position, int level, Step &step)
{
    const YamlNode *nameNode = node.isMap() ? node.value(u"name") : nullptr;
    const QString label
        = nameNode && nameNode->isScalar() ? u"step `%1`"_s.arg(nameNode->scalar) : u"step %1"_s.arg(index + 1);
    if (!m_reader.checkKeys(node, RunbookFormat::instance().section(u"step"), label))
        return false;
    step.location = node.location;
    bool ok = true;
    if (nameNode) {
        const auto name = m_reader.name(*nameNode, u"the name of "_s + label);
        if (name && *name == u"alert"_s) {
            m_reader.report().add(DiagnosticCode::InvalidName, nameNode->location,
                u"`alert` cannot name a step: conditions read alert labels as `alert.<label>`"_s,
                u"call the step something else, e.g. `alert_check`"_s);
            ok = false;
        } else if (name) {
            step.name = *name;
        } else {
            ok = false;
        }
    } else {
        ok = false;
    }
    readAction(node, step, level, ok);
    const ActionSpec *action = ActionCatalog::instance().find(step.action);
    const QString stepName = step.name.isEmpty() ? label : step.name;

    if (action) {
        const int before = static_cast<int>(m_reader.report().diagnostics().size());
        step.params = m_params.read(node.value(u"params"), *action, stepName, node.location);
        ok = ok && !hasErrors(m_reader.report().diagnostics().mid(before));
    }
    if (const YamlNode *blast = node.value(u"blast_radius")) {
        step.blastRadius = readBlastRadius(*blast, step, action);
        ok = ok && step.blastRadius.has_value();
    } else if (action && action->mutates() && !node.has(u"blast_radius")) {
        m_reader.report().add(DiagnosticCode::MissingBlastRadius, node.location,
            u"step `%1` runs `%2`, which changes %3, but declares no blast radius"_s.arg(
                stepName, action->name, action->dimension),
            u"add `blast_radius: { max_%1: \"15%\" }` (a share of the fleet or a count) to cap what one cycle may touch"_s
                .arg(action->dimension));
        ok = false;
    }
    if (const YamlNode *condition = node.value(u"condition")) {
        step.conditionText = condition->scalar;
        step.condition = m_conditions.check(*condition, u"the condition of step `%1`"_s.arg(stepName),
            ConditionScope { earlier, position, earlier.size(), step.name });
        ok = ok && step.condition;
    }
    if (const YamlNode *timeout = node.value(u"timeout")) {
        step.timeout = m_reader.duration(*timeout, u"`timeout` of step `%1`"_s.arg(stepName));
        ok = ok && step.timeout;
    }
    if (const YamlNode *targets = node.value(u"targets")) {
        const auto selector = readTargets(*targets, step);
        ok = ok && selector;
        if (selector)
            step.targets = *selector;
    }
    return ok;
}

void StepReader::readAction(const YamlNode &node, Step &step, int level, bool &ok)
{
    const YamlNode *actionNode = node.value(u"action");
    if (!actionNode) {
        ok = false; // missing or duplicated: reported already
        return;
    }
    const auto name = m_reader.text(*actionNode, u"`action`"_s);
    if (!name) {
        ok = false;
        return;
    }
    const ActionCatalog &catalog = ActionCatalog::instance();
    const ActionSpec *action = catalog.find(*name);
    if (!action) {
        m_reader.report().add(DiagnosticCode::UnknownAction, actionNode->location, u"unknown action `%1`"_s.arg(*name),
            didYouMeanHint(*name, catalog.names(), u"`antibodyctl catalog` lists the actions"_s));
        ok = false;
        return;
    }
    step.action = action->name;
    if (action->tier == Tier::Never) {
        m_reader.report().add(DiagnosticCode::NeverAutomate, actionNode->location,
            u"action `%1` is never automated: %2"_s.arg(action->name, firstSentence(action->description)),
            u"preserve state and page a human instead: collect_diagnostics, isolate_host, page_oncall"_s);
        ok = false;
    } else if (action->tier == Tier::Approve && level >= 3) {
        m_reader.report().add(DiagnosticCode::WaitsForApproval, actionNode->location,
            u"action `%1` always needs approval, so this level %2 runbook will stop and wait for a human at this step"_s
                .arg(action->name)
                .arg(level),
            u"that is by design for approve-tier actions; lower the runbook to level 2 if every run waits anyway"_s);
    }
}

std::optional<BlastRadiusSpec> StepReader::readBlastRadius(
    const YamlNode &node, const Step &step, const ActionSpec *action)
{
    const QString what = u"the blast radius of step `%1`"_s.arg(step.name);
    if (!m_reader.checkKeys(node, RunbookFormat::instance().section(u"blast_radius"), what))
        return std::nullopt;
    BlastRadiusSpec spec;
    spec.location = node.location;
    bool ok = true;
    bool haveCap = false;
    for (const YamlNode::Entry &e : node.entries) {
        if (!e.key.startsWith(u"max_"_s) || e.key == u"max_cycles"_s || node.isDuplicate(e.key))
            continue;
        const QString dimension = e.key.mid(4);
        if (!ActionCatalog::dimensions().contains(dimension))
            continue; // unknown key: reported by checkKeys
        if (action && action->mutates() && dimension != action->dimension) {
            m_reader.report().add(DiagnosticCode::WrongDimension, e.keyLocation,
                u"`%1` changes %2, but the blast radius caps %3"_s.arg(action->name, action->dimension, dimension),
                u"write `max_%1:` instead"_s.arg(action->dimension));
            ok = false;
            continue;
        }
        if (haveCap) {
            m_reader.report().add(DiagnosticCode::WrongDimension, e.keyLocation,
                u"a blast radius caps one dimension; `%1` is a second"_s.arg(e.key),
                u"keep only the cap on what the action changes"_s);
            ok = false;
            continue;
        }
        const YamlNode &value = *e.value;
        const auto cap = value.isScalar() ? Cap::parse(value.scalar) : std::nullopt;
        if (!cap) {
            m_reader.report().add(DiagnosticCode::InvalidCap, value.location,
                u"`%1` of step `%2` is not a cap: %3"_s.arg(e.key, step.name, value.describe()),
                u"write a share of the fleet in (0%, 100%], quoted (\"15%\"), or a whole number of at least 1 (2)"_s);
            ok = false;
            continue;
        }
        spec.dimension = dimension;
        spec.cap = *cap;
        haveCap = true;
    }
    if (const YamlNode *cycles = node.value(u"max_cycles")) {
        const FormatKey *key = RunbookFormat::instance().section(u"blast_radius").key(u"max_cycles");
        const auto n
            = m_reader.integer(*cycles, key->minimum, key->maximum, u"`max_cycles` of step `%1`"_s.arg(step.name));
        ok = ok && n;
        spec.maxCycles = n.value_or(0);
    }
    if (action && !action->mutates()) {
        m_reader.report().add(DiagnosticCode::NeedlessBlastRadius, node.location,
            u"step `%1` runs `%2`, which changes nothing; its blast radius has no effect"_s.arg(
                step.name, action->name),
            u"remove `blast_radius` from this step"_s);
    } else if (ok && !haveCap && action) {
        m_reader.report().add(DiagnosticCode::MissingBlastRadius, node.location,
            u"the blast radius of step `%1` sets no cap"_s.arg(step.name),
            u"add `max_%1:` with a share (\"15%\") or a count (2)"_s.arg(action->dimension));
        ok = false;
    }
    return ok ? std::optional<BlastRadiusSpec>(spec) : std::nullopt;
}

std::optional<TargetSelector> StepReader::readTargets(const YamlNode &node, const Step &step)
{
    const QString what = u"the targets of step `%1`"_s.arg(step.name);
    if (!m_reader.checkKeys(node, RunbookFormat::instance().section(u"targets"), what))
        return std::nullopt;
    TargetSelector selector;
    selector.location = node.location;
    bool ok = true;
    if (const YamlNode *service = node.value(u"service")) {
        const auto name = m_reader.text(*service, u"`service` of "_s + what);
        ok = ok && name;
        selector.service = name.value_or(QString());
    }
    if (const YamlNode *match = node.value(u"match")) {
        if (const auto text = m_reader.text(*match, u"`match` of "_s + what)) {
            TriggerExpression::ParseError error;
            const auto expr = TriggerExpression::parse(*text, &error);
            QString problem = expr ? QString() : error.message;
            int column = expr ? 0 : error.column;
            if (expr && (!expr->name.isEmpty() || expr->isMetric())) {
                problem = u"`match` holds label matchers only, not a name or a comparison"_s;
                column = 0;
            }
            if (problem.isEmpty()) {
                selector.matchers = expr->matchers;
            } else {
                m_reader.report().add(DiagnosticCode::InvalidSelector, match->at(column),
                    u"`match` of %1: %2"_s.arg(what, problem),
                    u"write label matchers in braces, quoted for YAML: '{zone=\"eu-west-1a\", version!=\"v2\"}'"_s);
                ok = false;
            }
        } else {
            ok = false;
        }
    }
    if (const YamlNode *where = node.value(u"where")) {
        selector.where = m_conditions.parse(*where, u"`where` of "_s + what);
        selector.whereText = where->scalar;
        ok = ok && selector.where;
    }
    return ok ? std::optional<TargetSelector>(selector) : std::nullopt;
}

} // namespace antibody
