#pragma once

#include "connectors/config/configuration.h"
#include "connectors/doctor/doctorreport.h"
#include "engine/runbook/runbook.h"

namespace antibody {

// `antibodyctl doctor`: what a configuration will meet. Asks each configured source
// whether it answers as itself (Prometheus, Alertmanager), each executor whether it
// can connect with the privileges its actions need (PostgreSQL: pg_signal_backend and
// pg_read_all_stats; Kubernetes: the API server answers), then says per runbook
// whether the alerts it answers are defined by a Prometheus alerting rule (or held by
// Alertmanager now), the metrics it reads have series, and an executor runs each of
// its actions; or exactly what is missing, at the runbook's line.
//
// Bounded: every request is one attempt with short timeouts (probeOptions), the
// servers are asked in parallel, and everything still unanswered after `budget` is
// cancelled and reported as such.
DoctorReport examineConfiguration(
    const Configuration &config, const QList<Runbook> &runbooks, Duration budget = Duration { 15'000 });

} // namespace antibody
