#pragma once

#include "simulator/world/fault.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace antibody::sim {

// A named script of faults over the default fleet, with what a good run of the
// shipped runbooks looks like: the end-to-end tests and drills hold runs to it.
struct Scenario
{
    struct Step
    {
        Duration at; // after the scenario starts
        Fault fault;
    };
    struct Expectation
    {
        QString outcome; // resolved | escalated
        std::optional<Duration> maxMttr; // detection to resolution, when resolved
        QStringList executes; // actions a good run executes
        QStringList neverExecutes; // actions a good run must not execute
        bool evidencePreserved = true; // nothing forensic destroyed
        QString story; // what a good run looks like, in words
    };

    QString name;
    QString description; // one line, for `antibodyctl scenarios`
    quint64 seed = 1;
    QString startsAt; // ISO 8601 UTC: traffic follows the time of day
    Duration horizon { 0 };
    QList<Step> script;
    Expectation expect;

    TimePoint start() const;
};

// The catalog, in the order `antibodyctl scenarios` lists it.
const QList<Scenario> &scenarios();
const Scenario *findScenario(QStringView name);

// For a runbook's `drill: { fault: NAME }`: the names of the faults (connection_leak,
// pool_saturation, ...), and the first scenario whose script injects that fault.
QStringList faultNames();
const Scenario *scenarioForFault(QStringView faultName);

} // namespace antibody::sim
