#pragma once

#include "engine/core/labels.h"
#include "engine/core/time.h"
#include "engine/domain/guardrail.h"
#include "engine/domain/incident.h"
#include "engine/domain/plan.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QSet>
#include <QString>
#include <QStringList>
#include <QVariantMap>

namespace antibody {

// How records become the JSON columns of the database, and back. Everything that
// leaves here for the database has passed through Redaction.
class StoredJson
{
public:
    // Compact JSON text, secrets redacted.
    static QString text(const QJsonObject &object);
    static QString text(const QJsonArray &array);

    static QJsonObject plan(const Plan &plan);
    static QJsonArray guardrails(const QList<GuardrailResult> &results);
    // An incident's guards by name, sorted: the same set is the same text.
    static QJsonArray guards(const QSet<Guard> &guards);
    static QJsonObject labels(const Labels &labels);
    static QJsonArray times(const QList<TimePoint> &times);

    static QJsonObject object(const QString &text);
    static QStringList stringList(const QString &text);
    static QVariantMap map(const QString &text);
    static QList<TimePoint> timeList(const QString &text);
};

} // namespace antibody
