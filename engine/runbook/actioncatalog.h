#pragma once

#include "engine/core/time.h"
#include "engine/runbook/runbook.h"

#include <QList>
#include <QString>
#include <QStringList>

namespace antibody {

// The decision matrix's tiers: safe to automate, a human approves first, never automate
// (docs/design.md, "Tiers").
enum class Tier { Safe, Approve, Never };
QString tierText(Tier t);

// What running the action does to the world.
enum class Effect {
    ReadOnly, // reads metrics or state
    Notifies, // tells people (page, chat); changes no system
    Mutates, // changes a system: needs a blast radius
};
QString effectText(Effect e);

struct ParamSpec
{
    QString name;
    ParamType type = ParamType::String;
    bool required = false;
    QString defaultValue; // as a runbook would write it; empty when none
    QString unit; // for the docs: "seconds", "fraction of the fleet"...
    QStringList values; // Enum: the allowed values; StringList: the allowed elements (any when empty)
    QString description;
};

// A fact a step publishes for later conditions: `diagnose.cause == leak`.
struct FactSpec
{
    QString name;
    ParamType type = ParamType::Number; // Number, String or Bool
    QStringList values; // String facts with a closed set of values
    QString description;
};

struct ActionSpec
{
    QString name;
    QString family; // which ActionExecutor runs it: metrics, diagnostics, database, workload, ...
    Tier tier = Tier::Safe;
    Effect effect = Effect::ReadOnly;
    QString dimension; // the blast-radius dimension a mutating action is capped on
    Duration defaultTimeout { 60'000 };
    QList<ParamSpec> params;
    QStringList oneOf; // exactly one of these parameters must be given (wait_for_metric: below | above)
    QList<FactSpec> facts;
    QString description;
    // Changes one object as a whole (a deployment's pod template or replica count), not
    // members picked from a fleet: it runs in one pass, whatever the cycles of its blast
    // radius (a second pass would act on what the first already changed), and its plan
    // fixes where the object starts from, which the executor checks before it acts.
    bool wholeObject = false;

    bool mutates() const { return effect == Effect::Mutates; }
    const ParamSpec *param(QStringView paramName) const;
    const FactSpec *fact(QStringView factName) const;
};

// The one list of actions. The validator, `antibodyctl catalog`, the docs, the
// JSON Schema and the editor's completion are all generated from it.
class ActionCatalog
{
public:
    static const ActionCatalog &instance();

    const QList<ActionSpec> &actions() const { return m_actions; }
    const ActionSpec *find(QStringView name) const;
    QStringList names() const;

    // Outcomes every step has, usable in conditions: verify.failed
    static QStringList outcomes();
    // Blast-radius keys: max_pods, max_connections, ...
    static QStringList dimensions();

private:
    ActionCatalog();
    QList<ActionSpec> m_actions;
};

} // namespace antibody
