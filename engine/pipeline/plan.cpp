#include "engine/pipeline/plan.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody {

QString BlastRadius::summary() const
{
    const int total = fleetSize();
    const int pct = total == 0 ? 0 : static_cast<int>(std::lround(share() * 100.0));
    QString text = u"%1 of %2 %3 · %4% · cap %5 per cycle"_s.arg(affected()).arg(total).arg(dimension).arg(pct).arg(capCount);
    if (cap.unit == Cap::Unit::Percent)
        text += u" (%1)"_s.arg(cap.text);
    if (cycles > 1)
        text += u" · %1 cycles"_s.arg(cycles);
    text += u" · %1 left serving"_s.arg(leftServing);
    return text;
}

const PlannedStep *Plan::step(QStringView name) const
{
    for (const PlannedStep &s : steps) {
        if (s.name == name)
            return &s;
    }
    return nullptr;
}

QStringList Plan::mutatingSteps() const
{
    QStringList out;
    for (const PlannedStep &s : steps) {
        if (s.effect == Effect::Mutates)
            out << s.name;
    }
    return out;
}

QString Plan::computeFingerprint() const
{
    // Canonical JSON: QJsonObject sorts keys, so the same plan always hashes the same.
    QJsonArray stepArray;
    for (const PlannedStep &s : steps) {
        QJsonObject o {
            { u"name"_s, s.name },
            { u"action"_s, s.action },
            { u"params"_s, QJsonObject::fromVariantMap(s.params) },
            { u"condition"_s, s.condition },
        };
        if (s.blastRadius) {
            o.insert(u"targets"_s, QJsonArray::fromStringList(s.blastRadius->chosen));
            o.insert(u"candidates"_s, QJsonArray::fromStringList(s.blastRadius->candidates));
            o.insert(u"cap"_s, s.blastRadius->capCount);
            o.insert(u"fleet"_s, s.blastRadius->fleetSize());
        }
        stepArray.append(o);
    }
    const QJsonObject root {
        { u"runbook"_s, runbook },
        { u"runbookHash"_s, QString::fromLatin1(runbookHash.toHex()) },
        { u"incident"_s, incidentId },
        { u"service"_s, service },
        { u"steps"_s, stepArray },
    };
    return QString::fromLatin1(
        QCryptographicHash::hash(QJsonDocument(root).toJson(QJsonDocument::Compact), QCryptographicHash::Sha256).toHex());
}

QStringList Plan::differencesFrom(const Plan &older) const
{
    QStringList out;
    if (runbookHash != older.runbookHash)
        out << u"the runbook %1 was edited"_s.arg(runbook);
    for (const PlannedStep &s : steps) {
        const PlannedStep *before = older.step(s.name);
        if (!before) {
            out << u"%1: new step"_s.arg(s.name);
            continue;
        }
        if (s.params != before->params)
            out << u"%1: parameters changed"_s.arg(s.name);
        if (s.blastRadius && before->blastRadius && s.blastRadius->chosen != before->blastRadius->chosen) {
            out << u"%1: targets changed (%2 -> %3)"_s.arg(s.name, before->blastRadius->chosen.join(u", "_s),
                       s.blastRadius->chosen.join(u", "_s));
        } else if (s.blastRadius && before->blastRadius && s.blastRadius->fleetSize() != before->blastRadius->fleetSize()) {
            out << u"%1: fleet changed from %2 to %3 %4"_s.arg(s.name)
                       .arg(before->blastRadius->fleetSize())
                       .arg(s.blastRadius->fleetSize())
                       .arg(s.blastRadius->dimension);
        }
    }
    for (const PlannedStep &s : older.steps) {
        if (!step(s.name))
            out << u"%1: step removed"_s.arg(s.name);
    }
    return out;
}

} // namespace antibody
