#pragma once

#include "engine/runbook/runbook.h"

#include <QList>
#include <QString>

namespace antibody {

// What one runbook needs from the world, each with the line that names it, for
// `antibodyctl doctor`: the alerts it answers, the metrics its trigger and steps
// read, the actions an executor must run, and what its header says it expects.
struct RunbookNeeds
{
    struct Alert
    {
        QString name; // empty for a selector on labels only ({guard=~"..."})
        QString text; // as written
        int line = 0;
    };
    struct Metric
    {
        QString selector; // name{matchers}, as Prometheus is asked
        QString name;
        QString readBy; // "the trigger", "step diagnose (query_metrics)"
        int line = 0;
    };
    struct Action
    {
        QString step;
        QString action;
        QString family;
        int line = 0;
    };

    QString file;
    QList<Alert> alerts;
    QList<Alert> symptoms; // alerts that join the runbook's incident (`symptoms:`)
    QList<Metric> metrics; // each selector once
    QList<Action> actions; // steps an executor runs (not the engine's own reads, pages, notices)
    QString expects; // the header's "Expects:" paragraph, on one line; empty when it has none
    int expectsLine = 0;

    static RunbookNeeds of(const Runbook &runbook);
    // "runbooks/x.yaml:18"
    QString at(int line) const;
};

// The exporter that usually provides a raw metric, by its name's prefix
// (pg_ postgres_exporter, kube_ kube-state-metrics, ...); empty when unknown.
QString usualExporter(const QString &metric);

} // namespace antibody
