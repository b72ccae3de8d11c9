#pragma once

#include "connectors/config/configuration.h"

#include <QStringList>

namespace antibody {

class Cancellation;

// What `antibodyctl doctor` asks Alertmanager, blocking, one attempt a request: whether
// it answers as Alertmanager (API v2), its version, and the names of the alerts it
// holds now (an alert Antibody waits for is known when it fires, or fired recently).
struct AlertmanagerFacts
{
    bool reachable = false;
    QString error; // what, where and what to do
    QString version;
    Duration latency { 0 };
    QStringList alertNames; // of the alerts it holds now, each once
};

AlertmanagerFacts probeAlertmanager(const AlertmanagerConfig &config, const Cancellation &cancellation);

} // namespace antibody
