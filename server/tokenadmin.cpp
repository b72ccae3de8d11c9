#include "server/tokenadmin.h"

#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody::TokenAdmin {

namespace {

// More than any team has; a list past it says how many were left out.
constexpr qsizetype maxListed = 2'000;

Answer refused(const QString &reason)
{
    return Answer { false, reason, {} };
}

Answer create(const QJsonObject &command, TokenRecords &records, const QString &admin, TimePoint now)
{
    QString error;
    auto token = ApiTokens::fromJson(command.value(u"token"_s).toObject(), true, &error);
    if (!token)
        return refused(u"token_create needs the new token's record in `token`: "_s + error);
    // Made now, by whoever asks: never what the message says.
    token->createdAt = now;
    token->createdBy = admin;
    token->revokedAt.reset();
    token->revokedBy.clear();
    const Duration lifetime = token->expiresAt - now;
    const Duration skew = std::chrono::minutes(1); // the admin's clock and the server's
    if (lifetime < ApiTokens::minimumLifetime - skew || lifetime > ApiTokens::maximumLifetime + skew)
        return refused(u"a token lives from %1 to %2 (it would live %3): --expires within those"_s.arg(
            formatDuration(ApiTokens::minimumLifetime), formatDuration(ApiTokens::maximumLifetime),
            formatDuration(lifetime)));
    const TokenWrite written = records.createToken(*token);
    if (!written.done)
        return refused(written.reason);
    return Answer { true, {}, { { u"token"_s, ApiTokens::toJson(*token, false) } } };
}

Answer list(TokenRecords &records)
{
    const QList<ApiToken> tokens = records.tokens();
    QJsonArray out;
    for (qsizetype i = 0; i < tokens.size() && i < maxListed; ++i)
        out.append(ApiTokens::toJson(tokens.at(i), false));
    QJsonObject fields { { u"tokens"_s, out } };
    if (tokens.size() > maxListed)
        fields.insert(u"truncated"_s, tokens.size() - maxListed);
    return Answer { true, {}, fields };
}

Answer revoke(const QJsonObject &command, TokenRecords &records, const QString &admin, TimePoint now)
{
    const QString id = command.value(u"id"_s).toString().left(64);
    if (id.isEmpty())
        return refused(u"token_revoke needs the token's `id` (token_list shows them)"_s);
    const TokenWrite written = records.revokeToken(id, admin, now);
    if (!written.done)
        return refused(written.reason);
    const auto token = records.findToken(id);
    return Answer { true, {}, { { u"token"_s, token ? ApiTokens::toJson(*token, false) : QJsonObject() } } };
}

} // namespace

bool isCommand(const QString &type)
{
    return type == u"token_create"_s || type == u"token_list"_s || type == u"token_revoke"_s;
}

Answer answer(const QJsonObject &command, TokenRecords &records, const QString &admin, TimePoint now)
{
    const QString type = command.value(u"type"_s).toString();
    if (type == u"token_create"_s)
        return create(command, records, admin, now);
    if (type == u"token_revoke"_s)
        return revoke(command, records, admin, now);
    return list(records);
}

} // namespace antibody::TokenAdmin
