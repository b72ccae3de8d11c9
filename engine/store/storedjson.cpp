#include "engine/store/storedjson.h"

#include "engine/domain/recordjson.h"
#include "engine/store/redaction.h"

#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody {

QString StoredJson::text(const QJsonObject &object)
{
    return QString::fromUtf8(QJsonDocument(Redaction::object(object)).toJson(QJsonDocument::Compact));
}

QString StoredJson::text(const QJsonArray &array)
{
    return QString::fromUtf8(QJsonDocument(Redaction::array(array)).toJson(QJsonDocument::Compact));
}

QJsonObject StoredJson::plan(const Plan &plan)
{
    return RecordJson::plan(plan);
}

QJsonArray StoredJson::guardrails(const QList<GuardrailResult> &results)
{
    QJsonArray out;
    for (const GuardrailResult &g : results)
        out.append(g.toJson());
    return out;
}

QJsonObject StoredJson::labels(const Labels &labels)
{
    QJsonObject out;
    for (auto it = labels.begin(); it != labels.end(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

QJsonArray StoredJson::times(const QList<TimePoint> &times)
{
    QJsonArray out;
    for (const TimePoint t : times)
        out.append(toMillis(t));
    return out;
}

QJsonObject StoredJson::object(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

QStringList StoredJson::stringList(const QString &text)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(text.toUtf8()).array())
        out << v.toString();
    return out;
}

QVariantMap StoredJson::map(const QString &text)
{
    return object(text).toVariantMap();
}

QList<TimePoint> StoredJson::timeList(const QString &text)
{
    QList<TimePoint> out;
    for (const QJsonValue &v : QJsonDocument::fromJson(text.toUtf8()).array())
        out << fromMillis(v.toInteger());
    return out;
}

QJsonArray StoredJson::guards(const QSet<Guard> &guards)
{
    QStringList names;
    for (const Guard g : guards)
        names << guardName(g);
    names.sort();
    return QJsonArray::fromStringList(names);
}

} // namespace antibody
