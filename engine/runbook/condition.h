#pragma once

#include "engine/runbook/comparator.h"

#include <QStringList>
#include <QVariant>
#include <functional>
#include <memory>
#include <optional>
#include <vector>

namespace antibody {

// A branch condition, a guard's `when:` or a target filter's `where:`:
//   verify_recovery.failed
//   diagnose.cause == leak and not scale_out.succeeded
//   diagnose.idle_ratio > 50% or (diagnose.long_running > 3)
// Grammar (words, not symbols, so that YAML never needs quoting tricks):
//   expr := and ('or' and)* ; and := not ('and' not)* ; not := 'not' not | primary
//   primary := '(' expr ')' | path [cmp literal]
//   path := name('.'name)* ; literal := number[% | s | ms | m | h] | 'text' | "text" | true | false | name
class Condition
{
public:
    enum class Kind { And, Or, Not, Truthy, Compare };

    Kind kind = Kind::Truthy;
    std::vector<std::shared_ptr<const Condition>> children;
    QStringList path; // Truthy and Compare: the fact, e.g. {"diagnose", "cause"}
    Comparator op = Comparator::Equal;
    QVariant literal; // double, QString or bool
    QString literalText;
    int column = 0; // where this node starts in the text (0-based)

    // Every path the condition reads, in order of appearance.
    QList<QStringList> references() const;
    QString toString() const;

    struct ParseError
    {
        QString message;
        int column = 0;
    };
    static std::shared_ptr<const Condition> parse(QStringView text, ParseError *error);

    // The value of a fact, or nullopt when it is unknown (a step that has not run).
    using Facts = std::function<std::optional<QVariant>(const QStringList &path)>;
    struct Verdict
    {
        bool value = false;
        bool known = true; // false: a fact was missing; value is then false
        QString explanation; // "diagnose.cause is leak, so kill_idle runs"
    };
    Verdict evaluate(const Facts &facts) const;
};

} // namespace antibody
