#pragma once

#include "engine/core/time.h"
#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/measure.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <QVariantMap>
#include <optional>

namespace antibody {

// What one mutating step will touch: the preview an engineer approves.
struct BlastRadius
{
    QString dimension; // pods, connections, regions...
    QString scope; // the fleet: "checkout-svc", "orders-db"
    QStringList fleet; // every member, in a stable order
    QStringList candidates; // members the step's selector picks (all cycles)
    QStringList chosen; // members this cycle touches (never more than the cap)
    Cap cap;
    int capCount = 0; // the cap applied to this fleet: "15%" of 19 -> 2
    int cycles = 1; // cycles needed to cover every candidate
    int leftServing = 0; // members not touched this cycle

    int fleetSize() const { return static_cast<int>(fleet.size()); }
    int affected() const { return static_cast<int>(chosen.size()); }
    double share() const { return fleet.isEmpty() ? 0.0 : double(chosen.size()) / double(fleet.size()); }
    bool withinCap() const { return affected() <= capCount; }
    // "2 of 5 pods · 40% · cap 2 per cycle · 3 left serving"
    QString summary() const;
    // The one JSON shape of a blast radius: in the stored plan (the `plans` table, read back
    // by `antibodyctl approve`), in the `proposed` event, and in `simulate --json` and
    // `dry-run --json`. The stored keys never change meaning (old databases keep
    // theirs); derived counts ride along for readers that want them without counting.
    QJsonObject toJson() const;
};

struct PlannedStep
{
    QString name;
    QString action;
    Tier tier = Tier::Safe;
    Effect effect = Effect::ReadOnly;
    QVariantMap params;
    QString condition; // as written; empty: always runs
    std::optional<BlastRadius> blastRadius; // set for every mutating step
    int maxCycles = 1;
    QString explanation; // why this step, in a sentence
};

struct Plan
{
    QString runbook;
    QByteArray runbookHash;
    QString incidentId;
    QString service;
    QList<PlannedStep> steps;
    QString fingerprint; // hex SHA-256 over runbook, steps, params and targets: what an approval binds to
    TimePoint madeAt;
    TimePoint dataAsOf; // the oldest data the plan rests on
    QStringList skipped; // steps the diagnosis ruled out, each with why: "scale_out: diagnose.cause is leak"

    QString shortFingerprint() const { return fingerprint.left(12); }
    // The strictest tier of its steps (safe without steps): what the policy's tiers match.
    Tier strictestTier() const;
    const PlannedStep *step(QStringView name) const;
    // Steps that change something (what approval is really for).
    QStringList mutatingSteps() const;
    // Computes the fingerprint from the plan's content; the same plan always gives the same value.
    QString computeFingerprint() const;
    // What differs from an earlier plan, in words ("kill_idle: targets changed (pid 4711 -> pid 4720)").
    QStringList differencesFrom(const Plan &older) const;
};

} // namespace antibody
