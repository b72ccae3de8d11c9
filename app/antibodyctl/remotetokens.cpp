#include "app/antibodyctl/remotetokens.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

TokenWrite RemoteTokenRecords::write(const QJsonObject &command)
{
    m_failure.clear();
    const auto reply = m_connection.request(command, &m_failure);
    m_unreachable = !reply;
    if (!reply)
        return TokenWrite { false, m_failure };
    if (!reply->value(u"ok"_s).toBool())
        m_failure = reply->value(u"reason"_s).toString();
    return TokenWrite { m_failure.isEmpty(), m_failure };
}

TokenWrite RemoteTokenRecords::createToken(const ApiToken &token)
{
    return write(QJsonObject { { u"type"_s, u"token_create"_s }, { u"token"_s, ApiTokens::toJson(token, true) } });
}

TokenWrite RemoteTokenRecords::revokeToken(const QString &id, const QString &by, TimePoint at)
{
    Q_UNUSED(by); // the server knows who asks, by their token
    Q_UNUSED(at); // and stamps its own time
    return write(QJsonObject { { u"type"_s, u"token_revoke"_s }, { u"id"_s, id } });
}

std::optional<ApiToken> RemoteTokenRecords::findToken(const QString &id)
{
    for (const ApiToken &t : tokens()) {
        if (t.id == id)
            return t;
    }
    return std::nullopt;
}

QList<ApiToken> RemoteTokenRecords::tokens()
{
    m_failure.clear();
    const auto reply = m_connection.request(QJsonObject { { u"type"_s, u"token_list"_s } }, &m_failure);
    m_unreachable = !reply;
    if (!reply)
        return {};
    if (!reply->value(u"ok"_s).toBool()) {
        m_failure = reply->value(u"reason"_s).toString();
        return {};
    }
    QList<ApiToken> out;
    for (const QJsonValue &row : reply->value(u"tokens"_s).toArray()) {
        QString error;
        if (auto t = ApiTokens::fromJson(row.toObject(), false, &error))
            out << *t;
    }
    return out;
}

} // namespace antibody::ctl
