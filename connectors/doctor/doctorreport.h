#pragma once

#include "engine/core/time.h"

#include <QJsonObject>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace antibody {

// One thing `antibodyctl doctor` checked about the configuration's world: a source,
// an executor, the runbooks. `key` is the configuration key it comes from.
struct DoctorCheck
{
    enum class Status { Ok, Warning, Failed };
    Status status = Status::Ok;
    QString key; // "sources.prometheus", "executors.postgres orders-db"
    QString detail; // "http://127.0.0.1:25090: Prometheus 2.42.0, 7 alerting and 9 recording rules (4 ms)"
};
QString doctorStatusText(DoctorCheck::Status status);

// Whether one runbook will meet what it needs, and where each finding is named:
// "runbooks/x.yaml:18" (the runbook's line) or a configuration key.
struct RunbookVerdict
{
    struct Finding
    {
        QString where;
        QString message;
    };
    QString name;
    QString file;
    QList<Finding> found; // what is there: "alert X: an alerting rule in Prometheus", "metric Y: 1 series"
    QList<Finding> missing; // each makes the runbook not ready
    QList<Finding> warnings; // could not be confirmed, but need not be wrong
    // What the runbook's header says it expects (exporters, rules), at its line: shown
    // once when an alert or a metric is missing.
    std::optional<Finding> expects;

    bool ready() const { return missing.isEmpty(); }
};

struct DoctorReport
{
    QString configFile;
    QList<DoctorCheck> checks;
    QList<RunbookVerdict> runbooks;
    Duration elapsed { 0 };
    bool timedOut = false; // the whole examination hit its bound; what was not answered is missing

    bool allReady() const;
    // One line per check, then per runbook READY / NOT READY with its located findings, then the sum.
    QStringList text() const;
    QJsonObject json() const;
};

} // namespace antibody
