#pragma once

#include "engine/store/incidenttimes.h"

#include <QJsonObject>
#include <QList>
#include <QString>

namespace antibody {

// Recovery times of a group of incidents (all of them, one runbook, one level):
// how long detection, proposal, approval and resolution took, as mean, median,
// 90th percentile and worst. The console's dashboard and `antibodyctl stats` show these.
struct RecoveryFigures
{
    struct Summary
    {
        int count = 0; // incidents that reached this stage
        Duration mean { 0 };
        Duration median { 0 };
        Duration p90 { 0 };
        Duration worst { 0 };

        static Summary of(QList<Duration> durations);
        QJsonObject toJson() const;
    };

    QString group; // "all", a runbook's name, "level 2"
    int incidents = 0;
    int resolved = 0;
    int escalated = 0;
    Summary detect;
    Summary propose;
    Summary approve;
    Summary resolve; // MTTR

    static RecoveryFigures of(const QString &group, const QList<IncidentTimes> &times);
    static QList<RecoveryFigures> byRunbook(const QList<IncidentTimes> &times);
    static QList<RecoveryFigures> byLevel(const QList<IncidentTimes> &times);
    QJsonObject toJson() const;
};

} // namespace antibody
