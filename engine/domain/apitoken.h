#pragma once

#include "engine/core/time.h"

#include <QByteArray>
#include <QJsonObject>
#include <QString>
#include <QStringList>
#include <optional>

namespace antibody {

// A per-user API token as the store keeps it: who it names and until when, never its
// secret. What a person holds is `abt_<id>_<secret>` (ApiTokenText); the store has the
// SHA-256 of the secret only. The secret is 32 random bytes from the system's generator:
// nothing can guess it, so a fast hash is enough, and no slow one (bcrypt, argon2) is
// needed as it is for a password a person chose (docs/team.md, "Identities").
struct ApiToken
{
    QString id; // 12 lowercase hex characters, public: the token's name in lists and the audit trail
    QString subject; // the person (or robot) it identifies
    QStringList groups; // optional, for the policy (issue 21)
    QString secretSha256; // lowercase hex
    TimePoint createdAt;
    QString createdBy;
    TimePoint expiresAt;
    std::optional<TimePoint> revokedAt;
    QString revokedBy;

    bool revoked() const { return revokedAt.has_value(); }
    bool expired(TimePoint now) const { return now >= expiresAt; }
    // "abt_1a2b3c4d5e6f…": how messages name a token without showing its secret.
    static QString shortForm(const QString &id);
};

// A new token: its record for the store and its text, shown once and never again.
struct IssuedToken
{
    ApiToken record;
    QString text; // abt_<id>_<secret>
};

// Why a presented token is not accepted.
enum class TokenVerdict { Valid, Malformed, Unknown, Expired, Revoked };

namespace ApiTokens {

// 30 days unless told, at most 90: a token outlives no on-call rotation by much, and one
// that leaked stops working within a quarter even if nobody revokes it (docs/team.md).
inline constexpr Duration defaultLifetime = std::chrono::days(30);
inline constexpr Duration maximumLifetime = std::chrono::days(90);
inline constexpr Duration minimumLifetime = std::chrono::minutes(1);
inline constexpr qsizetype maxSubjectLength = 128;
inline constexpr qsizetype maxGroups = 32;
inline constexpr qsizetype maxTextLength = 256; // a token is 60 characters; anything longer is not one

// Empty when `subject` may name a token; otherwise why not, in a sentence.
QString subjectProblem(const QString &subject);
// The same for a list of groups ("oncall,dba" split by the caller).
QString groupsProblem(const QStringList &groups);
// "30d", "12h", "90d": the lifetime, or nullopt with `*error` saying what is allowed.
std::optional<Duration> parseLifetime(QStringView text, QString *error);

// A new token for `subject`. Preconditions: subjectProblem and groupsProblem are empty,
// the lifetime within bounds.
IssuedToken issue(
    const QString &subject, const QStringList &groups, const QString &createdBy, TimePoint now, Duration lifetime);

struct Presented
{
    QString id;
    QByteArray secret; // the 32 bytes
};
// Reads `abt_<id>_<secret>`; nullopt with `*error` saying what is wrong (never quoting the secret).
std::optional<Presented> parse(QStringView text, QString *error);

// SHA-256 of a secret, lowercase hex.
QString hashOf(const QByteArray &secret);
// Whether `secret` is the record's, compared in constant time.
bool secretMatches(const ApiToken &record, const QByteArray &secret);

// The verdict on a presented token against its stored record (nullopt: no such id).
TokenVerdict verify(const std::optional<ApiToken> &record, const Presented &presented, TimePoint now);

// A token's record as the client API carries it (docs/team.md, "Administering tokens over
// the client API"): never the secret; its SHA-256 only with `withHash`, in the one message
// that needs it, an admin's new token whose secret the admin's own machine drew and kept.
QJsonObject toJson(const ApiToken &token, bool withHash);
// Reads one back, checking every field as a stored record's; nullopt with `*error` naming
// the field. `needHash`: a record without a well-formed SHA-256 is refused.
std::optional<ApiToken> fromJson(const QJsonObject &json, bool needHash, QString *error);

} // namespace ApiTokens

} // namespace antibody
