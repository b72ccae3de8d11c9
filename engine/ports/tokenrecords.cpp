#include "engine/ports/tokenrecords.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody {

TokenRecords::~TokenRecords() = default;

namespace {

QJsonObject tokenData(const ApiToken &token)
{
    return QJsonObject { { u"token"_s, token.id }, { u"subject"_s, token.subject },
        { u"groups"_s, QJsonArray::fromStringList(token.groups) }, { u"created_by"_s, token.createdBy },
        { u"expires_at"_s, formatTime(token.expiresAt) } };
}

} // namespace

EngineEvent TokenRecords::createdEvent(const ApiToken &token)
{
    return EngineEvent::make(EngineEvent::Kind::TokenCreated, token.createdAt, {},
        u"%1 created the API token %2 for %3, valid until %4"_s.arg(
            token.createdBy, ApiToken::shortForm(token.id), token.subject, formatTime(token.expiresAt)),
        tokenData(token));
}

EngineEvent TokenRecords::revokedEvent(const ApiToken &token, const QString &by, TimePoint at)
{
    QJsonObject data = tokenData(token);
    data.insert(u"revoked_by"_s, by);
    return EngineEvent::make(EngineEvent::Kind::TokenRevoked, at, {},
        u"%1 revoked the API token %2 of %3"_s.arg(by, ApiToken::shortForm(token.id), token.subject), data);
}

QString TokenRecords::idTaken(const QString &id)
{
    return u"a token with the id %1 exists already: draw another"_s.arg(id);
}

QString TokenRecords::noSuchToken(const QString &id)
{
    return u"there is no token %1 (antibodyctl token list shows them)"_s.arg(id);
}

QString TokenRecords::alreadyRevoked(const ApiToken &token)
{
    return u"the token %1 of %2 was revoked already, by %3 at %4"_s.arg(ApiToken::shortForm(token.id), token.subject,
        token.revokedBy, token.revokedAt ? formatTime(*token.revokedAt) : QString());
}

QString TokenRecords::storeFailed()
{
    return u"the store could not record it (the message above says why)"_s;
}

QString TokenRecords::groupsColumn(const QStringList &groups)
{
    return QString::fromUtf8(QJsonDocument(QJsonArray::fromStringList(groups)).toJson(QJsonDocument::Compact));
}

QStringList TokenRecords::groupsFromColumn(const QString &json)
{
    QStringList out;
    for (const QJsonValue &v : QJsonDocument::fromJson(json.toUtf8()).array())
        out << v.toString();
    return out;
}

} // namespace antibody
