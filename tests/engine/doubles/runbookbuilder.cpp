#include "tests/engine/doubles/runbookbuilder.h"

#include "engine/runbook/actioncatalog.h"

#include <QCryptographicHash>
#include <stdexcept>

using namespace Qt::StringLiterals;

namespace antibody::test {
namespace {

TriggerExpression expression(const QString &text)
{
    TriggerExpression::ParseError error;
    const auto e = TriggerExpression::parse(text, &error);
    if (!e)
        throw std::invalid_argument(error.message.toStdString());
    return *e;
}

std::shared_ptr<const Condition> condition(const QString &text)
{
    Condition::ParseError error;
    auto c = Condition::parse(text, &error);
    if (!c)
        throw std::invalid_argument(error.message.toStdString());
    return c;
}

ParamValue value(const ParamSpec *spec, const QString &text)
{
    ParamValue v;
    v.text = text;
    v.type = spec ? spec->type : ParamType::String;
    switch (v.type) {
    case ParamType::Duration:
        v.value = qint64(parseDuration(text).value_or(Duration { 0 }).count());
        break;
    case ParamType::Threshold:
        v.measure = Measure::parse(text);
        v.value = v.measure ? v.measure->value : 0.0;
        break;
    case ParamType::Count:
        v.cap = Cap::parse(text);
        v.value = text;
        break;
    case ParamType::Percent:
        v.value = Measure::parse(text) ? Measure::parse(text)->value : 0.0;
        break;
    case ParamType::Integer:
        v.value = text.toLongLong();
        break;
    case ParamType::Number:
        v.value = text.toDouble();
        break;
    case ParamType::Bool:
        v.value = text == u"true";
        break;
    case ParamType::StringList:
        v.value = text.isEmpty() ? QStringList() : text.split(u',');
        break;
    default:
        v.value = text;
    }
    return v;
}

} // namespace

RunbookBuilder::RunbookBuilder(const QString &name)
{
    m_runbook.name = name;
    m_runbook.file = name + u".yaml"_s;
    m_runbook.level = 3;
    m_runbook.trigger.confidence = Confidence::High;
}

RunbookBuilder &RunbookBuilder::level(int level)
{
    m_runbook.level = level;
    return *this;
}

RunbookBuilder &RunbookBuilder::alert(const QString &text)
{
    m_runbook.trigger.mode = Trigger::Mode::Any;
    m_runbook.trigger.expressions = { expression(text) };
    m_runbook.trigger.text = text;
    return *this;
}

RunbookBuilder &RunbookBuilder::any(const QStringList &texts)
{
    m_runbook.trigger.mode = Trigger::Mode::Any;
    m_runbook.trigger.expressions.clear();
    for (const QString &t : texts)
        m_runbook.trigger.expressions << expression(t);
    return *this;
}

RunbookBuilder &RunbookBuilder::all(const QStringList &texts)
{
    any(texts);
    m_runbook.trigger.mode = Trigger::Mode::All;
    return *this;
}

RunbookBuilder &RunbookBuilder::holdFor(Duration d)
{
    m_runbook.trigger.forDuration = d;
    return *this;
}

RunbookBuilder &RunbookBuilder::confidence(Confidence c)
{
    m_runbook.trigger.confidence = c;
    return *this;
}

RunbookBuilder &RunbookBuilder::cooldown(Duration d)
{
    m_runbook.cooldown = d;
    return *this;
}

RunbookBuilder &RunbookBuilder::breaker(int failures, Duration window, Duration coolOff)
{
    m_runbook.breaker = { failures, window, coolOff };
    return *this;
}

RunbookBuilder &RunbookBuilder::guard(const QString &name, const QString &when, const QString &reason)
{
    m_runbook.guards << RunbookGuard { name, when, condition(when), reason, {} };
    return *this;
}

RunbookBuilder &RunbookBuilder::approvals(int n)
{
    m_runbook.approvals = n;
    return *this;
}

RunbookBuilder &RunbookBuilder::services(const QStringList &services)
{
    m_runbook.services = services;
    return *this;
}

RunbookBuilder &RunbookBuilder::step(const QString &name, const QString &action, const QMap<QString, QString> &params,
    const QString &cap, const QString &conditionText, int maxCycles)
{
    const ActionSpec *spec = ActionCatalog::instance().find(action);
    if (!spec)
        throw std::invalid_argument("unknown action");
    Step s;
    s.name = name;
    s.action = action;
    for (auto it = params.constBegin(); it != params.constEnd(); ++it)
        s.params.insert(it.key(), value(spec->param(it.key()), it.value()));
    if (!cap.isEmpty())
        s.blastRadius = BlastRadiusSpec { spec->dimension, *Cap::parse(cap), maxCycles, {} };
    if (!conditionText.isEmpty()) {
        s.conditionText = conditionText;
        s.condition = condition(conditionText);
    }
    m_runbook.steps << s;
    return *this;
}

RunbookBuilder &RunbookBuilder::where(const QString &text)
{
    m_runbook.steps.last().targets.whereText = text;
    m_runbook.steps.last().targets.where = condition(text);
    return *this;
}

RunbookBuilder &RunbookBuilder::targetService(const QString &service)
{
    m_runbook.steps.last().targets.service = service;
    return *this;
}

Runbook RunbookBuilder::build() const
{
    Runbook rb = m_runbook;
    QString text = rb.name;
    for (const Step &s : rb.steps)
        text += s.name + s.action;
    rb.sourceHash = QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
    return rb;
}

} // namespace antibody::test
