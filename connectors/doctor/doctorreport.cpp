#include "connectors/doctor/doctorreport.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QJsonArray findingsJson(const QList<RunbookVerdict::Finding> &findings)
{
    QJsonArray out;
    for (const RunbookVerdict::Finding &f : findings)
        out.append(QJsonObject { { u"where"_s, f.where }, { u"message"_s, f.message } });
    return out;
}

} // namespace

QString doctorStatusText(DoctorCheck::Status status)
{
    switch (status) {
    case DoctorCheck::Status::Ok:
        return u"ok"_s;
    case DoctorCheck::Status::Warning:
        return u"warning"_s;
    case DoctorCheck::Status::Failed:
        return u"FAILED"_s;
    }
    return {};
}

bool DoctorReport::allReady() const
{
    for (const DoctorCheck &c : checks) {
        if (c.status == DoctorCheck::Status::Failed)
            return false;
    }
    for (const RunbookVerdict &r : runbooks) {
        if (!r.ready())
            return false;
    }
    return !timedOut;
}

QStringList DoctorReport::text() const
{
    QStringList lines;
    qsizetype keyWidth = 0;
    for (const DoctorCheck &c : checks)
        keyWidth = std::max(keyWidth, c.key.size());
    for (const DoctorCheck &c : checks)
        lines
            << u"%1 %2  %3"_s.arg(doctorStatusText(c.status), -7).arg(c.key, -static_cast<int>(keyWidth)).arg(c.detail);
    int ready = 0;
    for (const RunbookVerdict &r : runbooks) {
        lines << QString();
        lines << u"%1  %2 (%3)"_s.arg(r.ready() ? u"READY"_s : u"NOT READY"_s, r.name, r.file);
        ready += r.ready() ? 1 : 0;
        for (const RunbookVerdict::Finding &f : r.missing)
            lines << u"  missing  %1: %2"_s.arg(f.where, f.message);
        if (r.expects)
            lines << u"  expects  %1: %2"_s.arg(r.expects->where, r.expects->message);
        for (const RunbookVerdict::Finding &f : r.warnings)
            lines << u"  warning  %1: %2"_s.arg(f.where, f.message);
        for (const RunbookVerdict::Finding &f : r.found)
            lines << u"  ok       %1: %2"_s.arg(f.where, f.message);
    }
    lines << QString();
    if (timedOut)
        lines << u"The checks did not all finish within %1: what did not answer counts as missing."_s.arg(
            formatDuration(elapsed));
    lines << u"%1 of %2 runbook%3 ready%4 (%5)."_s.arg(ready)
                 .arg(runbooks.size())
                 .arg(runbooks.size() == 1 ? QString() : u"s"_s,
                     allReady() ? QString()
                                : u"; not ready: fix what is marked missing or FAILED above, then run doctor again"_s,
                     formatDuration(elapsed));
    return lines;
}

QJsonObject DoctorReport::json() const
{
    QJsonArray checkArray;
    for (const DoctorCheck &c : checks) {
        checkArray.append(QJsonObject {
            { u"status"_s, doctorStatusText(c.status).toLower() }, { u"key"_s, c.key }, { u"detail"_s, c.detail } });
    }
    QJsonArray runbookArray;
    for (const RunbookVerdict &r : runbooks) {
        runbookArray.append(QJsonObject { { u"name"_s, r.name }, { u"file"_s, r.file }, { u"ready"_s, r.ready() },
            { u"missing"_s, findingsJson(r.missing) }, { u"warnings"_s, findingsJson(r.warnings) },
            { u"found"_s, findingsJson(r.found) },
            { u"expects"_s,
                r.expects
                    ? QJsonValue(QJsonObject { { u"where"_s, r.expects->where }, { u"message"_s, r.expects->message } })
                    : QJsonValue() } });
    }
    return QJsonObject { { u"config"_s, configFile }, { u"ready"_s, allReady() }, { u"timed_out"_s, timedOut },
        { u"seconds"_s, toSeconds(elapsed) }, { u"checks"_s, checkArray }, { u"runbooks"_s, runbookArray } };
}

} // namespace antibody
