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

// What the pipeline does around an action beyond handing it to its family's executor.
// The pipeline branches on these, never on names: a new action is an entry in the catalog.
enum class ActionRole {
    Execute, // run by its family's executor; nothing else follows from it
    ReadMetrics, // read by the engine from the metric source into the diagnostics
    Diagnose, // the engine's own diagnostics bundle
    Verify, // waits for the runbook's goal: success resolves, failure escalates
    Page, // tells a human now; a run that paged ends escalated
    Notify, // tells people after the fact
};

// How a mutating action picks its targets from the fleet its executor observed, after
// the step's `targets:` selector. Whatever the rule, only observed members are picked.
enum class TargetRule {
    Selected, // every selected member, by name
    ConnectionsByAge, // in the `state` asked, older than `older_than`, oldest first; `exclude_applications` spared
    FailingPods, // failing pods (`only_unhealthy`), never those leaving or still starting
    Replicas, // the workload's replica count, changed within min and max
    BusiestFirst, // by CPU, busiest first
    Revision, // the workload's revision to return to, fixed at plan time
    ExpiringFirst, // expiring within `before_expiry`, soonest first
    HealthiestReplica, // the healthy replica with the least lag (or `promote`)
    AlertRegion, // the region `from` names, else the alert's `region` label
    AlertHost, // the host the alert's `host` label names, unless `targets:` chose
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
    ActionRole role = ActionRole::Execute;
    TargetRule targetRule = TargetRule::Selected;
    // Changes serving capacity (replicas): the capacity guardrail watches it, and its
    // `cooldown` parameter lengthens the resource's cooldown.
    bool changesCapacity = false;

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
    // Adds an action (a test's, an extension's) before anything reads the catalog on
    // another thread: the loader, the planner, `antibodyctl catalog` and the docs see it
    // like the built-in ones, and the pipeline treats it by its traits.
    static void extend(ActionSpec spec);

    const QList<ActionSpec> &actions() const { return m_actions; }
    const ActionSpec *find(QStringView name) const;
    // The first action with this role: the engine's own diagnostics, say.
    const ActionSpec *withRole(ActionRole role) const;
    // Whether the action named has this role; an unknown name has none.
    static bool hasRole(QStringView action, ActionRole role);
    static bool changesCapacity(QStringView action);
    QStringList names() const;

    // Outcomes every step has, usable in conditions: verify.failed
    static QStringList outcomes();
    // Blast-radius keys: max_pods, max_connections, ...
    static QStringList dimensions();

private:
    ActionCatalog();
    static ActionCatalog &writable();
    QList<ActionSpec> m_actions;
};

} // namespace antibody
