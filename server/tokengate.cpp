#include "server/tokengate.h"

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

const QString askForOne = u"ask an admin for a new one: antibodyctl token create --config FILE --subject %1"_s;

} // namespace

int TokenGate::recentFailures(const QString &address)
{
    auto it = m_failures.find(address);
    if (it == m_failures.end())
        return 0;
    const TimePoint since = m_clock.now() - m_settings.window;
    it->removeIf([since](TimePoint t) { return t <= since; });
    if (it->isEmpty()) {
        m_failures.erase(it);
        return 0;
    }
    return static_cast<int>(it->size());
}

TokenGate::Admission TokenGate::refuse(const QString &address, const QString &reason)
{
    if (m_failures.size() > 10'000) { // many addresses (a scan): forget those whose window has passed
        const QStringList addresses = m_failures.keys();
        for (const QString &a : addresses)
            recentFailures(a);
    }
    m_failures[address] << m_clock.now();
    return Admission { false, {}, {}, {}, reason };
}

// The limit bounds the work failures cost the server, not guesses: nobody guesses a 256-bit
// secret. So a valid token still gets in from an address over the limit (a NAT, a bastion,
// the machine the attacker shares), at the price of one read by id, the same read its
// hello costs anywhere, while the TLS handshake that comes before costs more; anything
// else is refused at once, and not counted, so the wait does not grow.
TokenGate::Admission TokenGate::admitOverLimit(const QString &address, const QJsonValue &token)
{
    QString error;
    const auto presented = token.isString() ? ApiTokens::parse(token.toString(), &error) : std::nullopt;
    if (presented) {
        const auto record = m_records.findToken(presented->id);
        if (ApiTokens::verify(record, *presented, m_clock.now()) == TokenVerdict::Valid)
            return Admission { true, record->subject, record->id, record->groups, {} };
    }
    const TimePoint again = m_failures.value(address).front() + m_settings.window;
    return Admission { false, {}, {}, {},
        u"too many failed tokens from %1 (%2 in %3): try again after %4"_s.arg(address)
            .arg(m_settings.maxFailures)
            .arg(formatDuration(m_settings.window), formatTime(again)) };
}

TokenGate::Admission TokenGate::admit(const QString &address, const QJsonValue &token, const QString &name)
{
    if (recentFailures(address) >= m_settings.maxFailures)
        return admitOverLimit(address, token);
    if (token.isUndefined() || token.isNull()) {
        if (m_settings.required)
            return Admission { false, {}, {}, {},
                u"this server requires a token (server.require_tokens): %1"_s.arg(askForOne.arg(u"YOU"_s)) };
        return Admission { true, name, {}, {}, {} };
    }
    if (!token.isString())
        return refuse(address, u"hello.token must be a string: abt_<id>_<secret>"_s);
    QString error;
    const auto presented = ApiTokens::parse(token.toString(), &error);
    if (!presented)
        return refuse(address, error);
    const auto record = m_records.findToken(presented->id);
    const QString shown = ApiToken::shortForm(presented->id);
    switch (ApiTokens::verify(record, *presented, m_clock.now())) {
    case TokenVerdict::Valid:
        return Admission { true, record->subject, record->id, record->groups, {} };
    case TokenVerdict::Expired:
        return refuse(address,
            u"token %1 expired on %2: %3"_s.arg(shown, formatTime(record->expiresAt), askForOne.arg(record->subject)));
    case TokenVerdict::Revoked:
        return refuse(address,
            u"token %1 was revoked on %2: %3"_s.arg(
                shown, formatTime(*record->revokedAt), askForOne.arg(record->subject)));
    case TokenVerdict::Malformed:
    case TokenVerdict::Unknown:
        break;
    }
    return refuse(address,
        u"token %1 is not known here (a typo, another server's token, or one cut short): %2"_s.arg(
            shown, askForOne.arg(u"YOU"_s)));
}

} // namespace antibody
