#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace antibody {

// What kind of value a runbook key holds. The loader checks keys against this table,
// and the JSON Schema and the format reference's key tables are generated from it.
enum class ValueKind {
    Text, // any text
    Name, // an identifier: letters, digits, `_` and `-`, starting with a letter
    Integer, // a whole number within [minimum, maximum]
    Duration, // 300s, 5m, 1h30m, 250ms, 14d
    Choice, // one of `values`
    Expression, // an alert selector or a metric expression (TriggerExpression)
    ExpressionList, // a list of metric expressions
    Condition, // a condition (Condition)
    Selector, // label matchers: {zone="eu-west-1a"}
    TextList, // a list of texts
    ServiceList, // a list of service names: DNS-1123, as alert `service` labels carry them
    Section, // a mapping described by the section named in `section`
    SectionList, // a list of such mappings
    Action, // a catalog action's name
    Params, // the parameters of the step's action (from the catalog)
    Cap, // a blast-radius cap: "15%" or a whole number
};

struct FormatKey
{
    QString name;
    ValueKind kind = ValueKind::Text;
    bool required = false;
    QString defaultValue; // as a runbook would write it; empty when none
    QString description;
    QStringList values; // Choice
    QString section; // Section, SectionList
    int minimum = 0; // Integer
    int maximum = 0; // Integer; ServiceList: most items
};

struct FormatSection
{
    QString name; // runbook, trigger, step, blast_radius, targets, circuit_breaker, guard, drill
    QString title; // how messages name it: "the trigger", "step `x`"...
    QList<FormatKey> keys;

    const FormatKey *key(QStringView keyName) const;
    QStringList keyNames() const;
};

// The runbook format (v1): every key of every mapping, in one place.
class RunbookFormat
{
public:
    static const RunbookFormat &instance();

    const QList<FormatSection> &sections() const { return m_sections; }
    const FormatSection &section(QStringView name) const; // the name must exist
    static QString kindText(ValueKind kind);

private:
    RunbookFormat();
    QList<FormatSection> m_sections;
};

} // namespace antibody
