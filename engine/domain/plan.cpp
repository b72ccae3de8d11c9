#include "engine/domain/plan.h"

#include <QCryptographicHash>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {

QString BlastRadius::summary() const
{
    const int total = fleetSize();
    const int pct = total == 0 ? 0 : static_cast<int>(std::lround(share() * 100.0));
    QString text
        = u"%1 of %2 %3 · %4% · cap %5 per cycle"_s.arg(affected()).arg(total).arg(dimension).arg(pct).arg(capCount);
    if (cap.unit == Cap::Unit::Percent)
        text += u" (%1)"_s.arg(cap.text);
    if (cycles > 1)
        text += u" · %1 cycles"_s.arg(cycles);
    // A renewed certificate never stopped serving: the count would only alarm.
    if (dimension != u"certificates")
        text += u" · %1 left serving"_s.arg(leftServing);
    return text;
}

QJsonObject BlastRadius::toJson() const
{
    return {
        { u"dimension"_s, dimension },
        { u"scope"_s, scope },
        { u"fleet"_s, QJsonArray::fromStringList(fleet) },
        { u"fleet_size"_s, fleetSize() },
        { u"candidates"_s, QJsonArray::fromStringList(candidates) },
        { u"chosen"_s, QJsonArray::fromStringList(chosen) },
        { u"affected"_s, affected() },
        { u"share"_s, share() },
        { u"cap"_s, cap.text }, // as the runbook wrote it: "15%", "2"
        { u"cap_count"_s, capCount }, // what it allows on this fleet
        { u"cycles"_s, cycles },
        { u"left_serving"_s, leftServing },
        { u"summary"_s, summary() },
    };
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

namespace {

// Length-prefixed fields in one buffer, hashed once: no field can run into the
// next, so different plans never hash the same bytes.
class FingerprintText
{
public:
    void add(QStringView text)
    {
        const QByteArray utf8 = text.toUtf8();
        m_bytes.append(QByteArray::number(utf8.size())).append(':').append(utf8);
    }
    void add(qint64 n) { m_bytes.append(QByteArray::number(n)).append(';'); }
    void add(const QStringList &list)
    {
        add(qint64(list.size()));
        for (const QString &s : list)
            add(s);
    }
    QString sha256() const
    {
        return QString::fromLatin1(QCryptographicHash::hash(m_bytes, QCryptographicHash::Sha256).toHex());
    }

private:
    QByteArray m_bytes;
};

} // namespace

Tier Plan::strictestTier() const
{
    Tier strictest = Tier::Safe;
    for (const PlannedStep &s : steps)
        strictest = std::max(strictest, s.tier);
    return strictest;
}

QString Plan::computeFingerprint() const
{
    FingerprintText f;
    f.add(u"antibody-plan-v1");
    f.add(runbook);
    f.add(QString::fromLatin1(runbookHash.toHex()));
    f.add(incidentId);
    f.add(service);
    f.add(qint64(steps.size()));
    for (const PlannedStep &s : steps) {
        f.add(s.name);
        f.add(s.action);
        f.add(s.condition);
        f.add(qint64(s.params.size()));
        for (auto it = s.params.constBegin(); it != s.params.constEnd(); ++it) { // QVariantMap: sorted keys
            f.add(it.key());
            f.add(it.value().typeId() == QMetaType::QStringList ? it.value().toStringList().join(u'\x1f')
                                                                : it.value().toString());
        }
        if (s.blastRadius) {
            f.add(s.blastRadius->chosen);
            f.add(s.blastRadius->candidates);
            f.add(qint64(s.blastRadius->capCount));
            f.add(qint64(s.blastRadius->fleetSize()));
        } else {
            f.add(u"-");
        }
    }
    return f.sha256();
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
            out << u"%1: targets changed (%2 -> %3)"_s.arg(
                s.name, before->blastRadius->chosen.join(u", "_s), s.blastRadius->chosen.join(u", "_s));
        } else if (s.blastRadius && before->blastRadius
            && s.blastRadius->fleetSize() != before->blastRadius->fleetSize()) {
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
