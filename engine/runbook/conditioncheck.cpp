#include "engine/runbook/conditioncheck.h"

#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/didyoumean.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

void collectLeaves(const Condition &c, QList<const Condition *> &out)
{
    if (c.kind == Condition::Kind::Truthy || c.kind == Condition::Kind::Compare)
        out << &c;
    for (const auto &child : c.children)
        collectLeaves(*child, out);
}

bool isOrdering(Comparator op)
{
    return op != Comparator::Equal && op != Comparator::NotEqual;
}

} // namespace

ConditionChecker::ConditionChecker(DiagnosticReport &report)
    : m_report(report)
{
}

std::shared_ptr<const Condition> ConditionChecker::parse(const YamlNode &node, const QString &what)
{
    if (!node.isScalar()) {
        m_report.add(DiagnosticCode::WrongType, node.location,
            u"%1 must be text, found %2"_s.arg(what, node.describe()),
            u"write the condition as one line of text, e.g. \"verify.failed\""_s);
        return nullptr;
    }
    Condition::ParseError error;
    auto condition = Condition::parse(node.scalar, &error);
    if (!condition)
        m_report.add(DiagnosticCode::InvalidCondition, node.at(error.column), u"%1: %2"_s.arg(what, error.message),
            u"conditions read `step.outcome`, `step.fact <op> value` or `alert.label == value`, joined with and, or, not"_s);
    return condition;
}

std::shared_ptr<const Condition> ConditionChecker::check(
    const YamlNode &node, const QString &what, const ConditionScope &scope)
{
    auto condition = parse(node, what);
    if (!condition)
        return nullptr;
    QList<const Condition *> leaves;
    collectLeaves(*condition, leaves);
    bool ok = true;
    for (const Condition *leaf : leaves)
        ok = checkLeaf(*leaf, node, what, scope) && ok;
    return ok ? condition : nullptr;
}

bool ConditionChecker::checkLeaf(
    const Condition &leaf, const YamlNode &node, const QString &what, const ConditionScope &scope)
{
    const SourceLocation at = node.at(leaf.column);
    const QString path = leaf.path.join(u'.');
    const QString &head = leaf.path.front();
    if (head == u"alert"_s) {
        if (leaf.path.size() == 2)
            return true;
        m_report.add(DiagnosticCode::InvalidReference, at,
            u"%1 reads `%2`; alert labels are read as `alert.<label>`"_s.arg(what, path),
            u"e.g. `alert.guard == security_incident` or `alert.region == eu-west-1`"_s);
        return false;
    }
    const qsizetype index = scope.position.value(head, -1);
    if (index < 0 || index >= scope.visible) {
        if (head == scope.ownStep) {
            m_report.add(DiagnosticCode::ForwardReference, at,
                u"%1 reads step `%2` itself, which has not run when the condition is decided"_s.arg(what, head),
                u"condition a step on an earlier step's outcome"_s);
        } else if (index >= 0) {
            m_report.add(DiagnosticCode::ForwardReference, at,
                u"%1 reads step `%2`, which runs later"_s.arg(what, head),
                u"a condition can read only earlier steps: move `%1` up, or condition on an earlier step"_s.arg(head));
        } else {
            QStringList visibleNames;
            for (qsizetype i = 0; i < scope.visible && i < scope.steps.size(); ++i)
                visibleNames << scope.steps[i].name;
            m_report.add(DiagnosticCode::UnknownStep, at,
                u"%1 reads `%2`, but there is no step `%3`"_s.arg(what, path, head),
                didYouMeanHint(head, visibleNames,
                    visibleNames.isEmpty()
                        ? u"there is no earlier step to read; conditions read earlier steps or `alert.<label>`"_s
                        : u"the steps it can read are: %1"_s.arg(visibleNames.join(u", "_s))));
        }
        return false;
    }
    const Step *step = &scope.steps[index];
    const ActionSpec *action = ActionCatalog::instance().find(step->action);
    if (leaf.path.size() != 2) {
        m_report.add(DiagnosticCode::InvalidReference, at,
            leaf.path.size() == 1 ? u"%1 names step `%2` but not what to read of it"_s.arg(what, head)
                                  : u"%1 reads `%2`; a step has outcomes and facts one level deep"_s.arg(what, path),
            u"write `%1.failed`, `%1.succeeded`, or a fact: `%1.<fact> <op> value`"_s.arg(head));
        return false;
    }
    if (!action)
        return true; // its unknown action is reported already
    const QString &member = leaf.path.at(1);
    if (ActionCatalog::outcomes().contains(member)) {
        if (leaf.kind == Condition::Kind::Compare && leaf.literal.typeId() != QMetaType::Bool) {
            m_report.add(DiagnosticCode::FactTypeMismatch, at,
                u"%1 compares outcome `%2` with `%3`; outcomes are true or false"_s.arg(what, path, leaf.literalText),
                u"write `%1` or `not %1`"_s.arg(path));
            return false;
        }
        return true;
    }
    const FactSpec *fact = action->fact(member);
    if (!fact) {
        QStringList members = ActionCatalog::outcomes();
        for (const FactSpec &f : action->facts)
            members << f.name;
        m_report.add(DiagnosticCode::UnknownOutcome, at,
            u"%1 reads `%2`, but `%3` (%4) has no outcome or fact `%5`"_s.arg(what, path, head, step->action, member),
            didYouMeanHint(member, members, u"it has: %1"_s.arg(members.join(u", "_s))));
        return false;
    }
    return checkLiteral(leaf, node, what, fact);
}

bool ConditionChecker::checkLiteral(
    const Condition &leaf, const YamlNode &node, const QString &what, const FactSpec *fact)
{
    if (leaf.kind != Condition::Kind::Compare)
        return true;
    const SourceLocation at = node.at(leaf.column);
    const QString path = leaf.path.join(u'.');
    const auto mismatch = [&](const QString &expected, const QString &hint) {
        m_report.add(DiagnosticCode::FactTypeMismatch, at,
            u"%1 compares `%2` (%3) with `%4`"_s.arg(what, path, expected, leaf.literalText), hint);
        return false;
    };
    const int literalType = leaf.literal.typeId();
    switch (fact->type) {
    case ParamType::Number:
        if (literalType != QMetaType::Double)
            return mismatch(u"a number"_s, u"compare it with a number: 0.5, 50%, 10s, 800ms"_s);
        return true;
    case ParamType::Bool:
        if (literalType != QMetaType::Bool || isOrdering(leaf.op))
            return mismatch(u"true or false"_s, u"write `%1` or `not %1`"_s.arg(path));
        return true;
    default:
        break;
    }
    if (isOrdering(leaf.op))
        return mismatch(u"text"_s, u"text facts are compared with == or !="_s);
    const QString value = leaf.literal.toString();
    if (!fact->values.isEmpty() && !fact->values.contains(value)) {
        m_report.add(DiagnosticCode::UnknownFactValue, at,
            u"%1 compares `%2` with `%3`, a value it never takes"_s.arg(what, path, leaf.literalText),
            didYouMeanHint(value, fact->values, u"its values are: %1"_s.arg(fact->values.join(u", "_s))));
        return false;
    }
    return true;
}

} // namespace antibody
