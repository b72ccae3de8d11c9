#include "engine/domain/apitoken.h"

#include "engine/core/printable.h"

#include <QCryptographicHash>
#include <QJsonArray>
#include <QRandomGenerator>
#include <algorithm>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

constexpr QStringView prefix = u"abt_";
constexpr int idBytes = 6; // 12 hex characters
constexpr int secretBytes = 32;

QByteArray randomBytes(int count)
{
    QByteArray out(count, Qt::Uninitialized);
    QRandomGenerator::system()->generate(out.begin(), out.end());
    return out;
}

constexpr auto base64url = QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals;

// A name for a subject or a group: letters and digits of any script, and . _ - @ +.
// No comma (approvers are stored comma-separated), no space, no control character.
QString nameProblem(const QString &name, QStringView what)
{
    if (name.isEmpty())
        return u"the %1 is empty"_s.arg(what);
    if (name.size() > ApiTokens::maxSubjectLength)
        return u"the %1 has %2 characters; at most %3"_s.arg(what).arg(name.size()).arg(ApiTokens::maxSubjectLength);
    for (const QChar c : name) {
        if (c.isLetterOrNumber() || c == u'.' || c == u'_' || c == u'-' || c == u'@' || c == u'+')
            continue;
        if (c.isSurrogate()) // letters outside the basic plane: accepted as they come
            continue;
        return u"the %1 '%2' holds '%3' (U+%4): use letters, digits and . _ - @ + only"_s.arg(what,
            printable(name.size() > 40 ? name.left(40) + u"…"_s : name), c.isPrint() ? QString(c) : u"?"_s,
            QString::number(c.unicode(), 16).toUpper().rightJustified(4, u'0'));
    }
    return {};
}

} // namespace

QString ApiToken::shortForm(const QString &id)
{
    return prefix.toString() + id + u"…"_s;
}

namespace ApiTokens {

QString subjectProblem(const QString &subject)
{
    return nameProblem(subject, u"subject");
}

QString groupsProblem(const QStringList &groups)
{
    if (groups.size() > maxGroups)
        return u"%1 groups; at most %2"_s.arg(groups.size()).arg(maxGroups);
    for (const QString &g : groups) {
        if (QString problem = nameProblem(g, u"group"); !problem.isEmpty())
            return problem;
    }
    return {};
}

std::optional<Duration> parseLifetime(QStringView text, QString *error)
{
    const auto d = parseDuration(text.trimmed());
    const QString allowed = u"a lifetime from %1 to %2, such as 30d or 12h"_s.arg(
        formatDuration(minimumLifetime), formatDuration(maximumLifetime));
    if (!d) {
        *error = u"'%1' is not a duration: give %2"_s.arg(text.left(40), allowed);
        return std::nullopt;
    }
    if (*d < minimumLifetime) {
        *error = u"%1 is too short: give %2"_s.arg(formatDuration(*d), allowed);
        return std::nullopt;
    }
    if (*d > maximumLifetime) {
        *error = u"%1 is longer than a token may live (%2, so that a leaked token stops working within a quarter "
                 "even if nobody revokes it): give %3, and create a new token when it expires"_s.arg(
                     formatDuration(*d), formatDuration(maximumLifetime), allowed);
        return std::nullopt;
    }
    return d;
}

IssuedToken issue(
    const QString &subject, const QStringList &groups, const QString &createdBy, TimePoint now, Duration lifetime)
{
    const QByteArray secret = randomBytes(secretBytes);
    IssuedToken out;
    out.record.id = QString::fromLatin1(randomBytes(idBytes).toHex());
    out.record.subject = subject;
    out.record.groups = groups;
    out.record.secretSha256 = hashOf(secret);
    out.record.createdAt = now;
    out.record.createdBy = createdBy;
    out.record.expiresAt = now + lifetime;
    out.text = prefix.toString() + out.record.id + u'_' + QString::fromLatin1(secret.toBase64(base64url));
    return out;
}

std::optional<Presented> parse(QStringView text, QString *error)
{
    if (text.size() > maxTextLength) {
        *error = u"a token of %1 characters is not an Antibody token (they have 60)"_s.arg(text.size());
        return std::nullopt;
    }
    if (!text.startsWith(prefix)) {
        *error = u"not an Antibody token: it does not start with abt_"_s;
        return std::nullopt;
    }
    const QStringView rest = text.mid(prefix.size());
    const qsizetype cut = rest.indexOf(u'_');
    const QStringView id = cut < 0 ? rest : rest.left(cut);
    const bool hexId = id.size() >= 8 && id.size() <= 64 && std::all_of(id.begin(), id.end(), [](QChar c) {
        return (c >= u'0' && c <= u'9') || (c >= u'a' && c <= u'f');
    });
    if (cut < 0 || !hexId) {
        *error = u"not an Antibody token: abt_ is followed by an id of 8 or more lowercase hex digits, an underscore "
                 "and the secret"_s;
        return std::nullopt;
    }
    const QStringView secretText = rest.mid(cut + 1);
    const bool urlSafe = std::all_of(secretText.begin(), secretText.end(), [](QChar c) {
        return (c >= u'A' && c <= u'Z') || (c >= u'a' && c <= u'z') || (c >= u'0' && c <= u'9') || c == u'-'
            || c == u'_';
    });
    const auto decoded
        = urlSafe ? QByteArray::fromBase64Encoding(secretText.toLatin1(), base64url) : QByteArray::FromBase64Result {};
    if (!urlSafe || !decoded || decoded.decoded.size() != secretBytes) {
        *error = u"the token %1 is damaged: its secret is not 32 bytes in base64url (copy the whole token)"_s.arg(
            ApiToken::shortForm(id.toString()));
        return std::nullopt;
    }
    return Presented { id.toString(), decoded.decoded };
}

QString hashOf(const QByteArray &secret)
{
    return QString::fromLatin1(QCryptographicHash::hash(secret, QCryptographicHash::Sha256).toHex());
}

bool secretMatches(const ApiToken &record, const QByteArray &secret)
{
    const QByteArray want = QByteArray::fromHex(record.secretSha256.toLatin1());
    const QByteArray got = QCryptographicHash::hash(secret, QCryptographicHash::Sha256);
    if (want.size() != got.size()) // the lengths are public: both are SHA-256
        return false;
    unsigned char diff = 0;
    for (qsizetype i = 0; i < got.size(); ++i)
        diff |= static_cast<unsigned char>(want[i] ^ got[i]);
    return diff == 0;
}

TokenVerdict verify(const std::optional<ApiToken> &record, const Presented &presented, TimePoint now)
{
    if (!record || !secretMatches(*record, presented.secret))
        return TokenVerdict::Unknown; // a wrong secret says no more than an unknown id
    if (record->revoked())
        return TokenVerdict::Revoked;
    if (record->expired(now))
        return TokenVerdict::Expired;
    return TokenVerdict::Valid;
}

namespace {

bool lowercaseHex(const QString &text, qsizetype size)
{
    return text.size() == size
        && std::all_of(text.begin(), text.end(), [](QChar c) { return c.isDigit() || (c >= u'a' && c <= u'f'); });
}

} // namespace

QJsonObject toJson(const ApiToken &token, bool withHash)
{
    QJsonObject out { { u"id"_s, token.id }, { u"subject"_s, token.subject },
        { u"groups"_s, QJsonArray::fromStringList(token.groups) }, { u"created_at"_s, toMillis(token.createdAt) },
        { u"created_by"_s, token.createdBy }, { u"expires_at"_s, toMillis(token.expiresAt) } };
    if (withHash)
        out.insert(u"sha256"_s, token.secretSha256);
    if (token.revokedAt) {
        out.insert(u"revoked_at"_s, toMillis(*token.revokedAt));
        out.insert(u"revoked_by"_s, token.revokedBy);
    }
    return out;
}

std::optional<ApiToken> fromJson(const QJsonObject &json, bool needHash, QString *error)
{
    ApiToken t;
    t.id = json.value(u"id"_s).toString();
    if (!lowercaseHex(t.id, 2 * idBytes)) {
        *error = u"`id` is not a token id (%1 lowercase hex digits)"_s.arg(2 * idBytes);
        return std::nullopt;
    }
    t.subject = json.value(u"subject"_s).toString();
    if (const QString problem = subjectProblem(t.subject); !problem.isEmpty()) {
        *error = u"`subject`: "_s + problem;
        return std::nullopt;
    }
    const QJsonValue groups = json.value(u"groups"_s);
    if (!groups.isUndefined() && !groups.isArray()) {
        *error = u"`groups` is not a list of names"_s;
        return std::nullopt;
    }
    for (const QJsonValue &g : groups.toArray()) {
        if (!g.isString() || t.groups.size() > maxGroups) {
            *error = u"`groups` is not a list of at most %1 names"_s.arg(maxGroups);
            return std::nullopt;
        }
        t.groups << g.toString();
    }
    if (const QString problem = groupsProblem(t.groups); !t.groups.isEmpty() && !problem.isEmpty()) {
        *error = u"`groups`: "_s + problem;
        return std::nullopt;
    }
    t.secretSha256 = json.value(u"sha256"_s).toString();
    if (needHash && !lowercaseHex(t.secretSha256, 64)) {
        *error = u"`sha256` is not a SHA-256 (64 lowercase hex digits)"_s;
        return std::nullopt;
    }
    for (const auto &[key, at] : { std::pair { u"created_at"_s, &t.createdAt }, { u"expires_at"_s, &t.expiresAt } }) {
        const QJsonValue v = json.value(key);
        if (!v.isDouble() && !v.isUndefined()) {
            *error = u"`%1` is not a time in milliseconds since the epoch"_s.arg(key);
            return std::nullopt;
        }
        *at = fromMillis(v.toInteger());
    }
    t.createdBy = json.value(u"created_by"_s).toString();
    if (const QJsonValue revoked = json.value(u"revoked_at"_s); revoked.isDouble()) {
        t.revokedAt = fromMillis(revoked.toInteger());
        t.revokedBy = json.value(u"revoked_by"_s).toString();
    }
    return t;
}

} // namespace ApiTokens

} // namespace antibody
