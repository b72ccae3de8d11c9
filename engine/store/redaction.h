#pragma once

#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QString>
#include <QStringView>
#include <QVariantMap>

namespace antibody {

// Secrets never reach the database, the audit trail or an export: everything the
// store writes passes through here first. Values under secret-looking keys
// (password, token, api_key, authorization, routing_key...) are replaced whole;
// inside any text, credentials in URLs (user:pass@), key=value pairs, Bearer/Basic
// headers, private-key blocks and well-known token shapes are replaced by "[redacted]".
class Redaction
{
public:
    static QString marker(); // "[redacted]"

    static bool isSecretKey(QStringView key);
    static QString text(const QString &text);
    static QJsonValue value(const QJsonValue &value);
    static QJsonObject object(const QJsonObject &object);
    static QJsonArray array(const QJsonArray &array);
    static QVariantMap map(const QVariantMap &map);
};

} // namespace antibody
