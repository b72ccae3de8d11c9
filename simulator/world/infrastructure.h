#pragma once

#include "engine/core/time.h"

#include <QString>

namespace antibody::sim {

// What the services run on and are reached through: regions, hosts, certificates.

struct Region
{
    QString name;
    QString state = QStringLiteral("serving"); // serving, degraded, drained
    double weight = 1.0; // share of traffic routed here, before normalization (0: drained)
    double extraErrorRate = 0; // the region-degraded fault
    double extraLatency = 0;
};

struct Host
{
    QString name; // worker-3
    QString zone;
    QString region;
    QString state = QStringLiteral("running"); // running, isolated, stopped, terminated
    bool compromised = false; // the security signal: an intruder is on this host
    int intrusionSignals = 0;
    QString intrusionDetail;
};

struct Certificate
{
    QString name; // api.example.com
    QString service;
    QString issuer;
    TimePoint notAfter;
    QString issuerFailure; // set: the issuer refuses orders with this answer
};

} // namespace antibody::sim
