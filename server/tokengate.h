#pragma once

#include "engine/core/clock.h"
#include "engine/ports/tokenrecords.h"

#include <QHash>
#include <QJsonValue>
#include <QList>
#include <QString>

namespace antibody {

// Who a client is, from the token in its hello (docs/team.md, "Identities"): a valid
// token names its subject, whatever hello's `name` says; an unknown, expired, revoked
// or malformed one is refused with the reason and what to do. Failed tokens are counted
// per client address on the injected clock: past `maxFailures` in `window`, that
// address is refused at once until the window has passed, except with a valid token:
// a well-formed token is still read by its id, anything else refused without a read.
class TokenGate
{
public:
    struct Settings
    {
        bool required = false; // server.require_tokens: a hello without a token is refused
        int maxFailures = 10;
        Duration window { 60'000 };
    };

    struct Admission
    {
        bool admitted = false;
        QString subject; // who the session is: the token's subject, or hello's name without a token
        QString tokenId; // empty without a token
        QStringList groups; // the token's groups, for the policy
        QString reason; // when refused
    };

    TokenGate(TokenRecords &records, const Clock &clock, Settings settings)
        : m_records(records)
        , m_clock(clock)
        , m_settings(settings)
    {
    }

    // `token`: hello's `token` field as sent (undefined when absent).
    Admission admit(const QString &address, const QJsonValue &token, const QString &name);

    const Settings &settings() const { return m_settings; }
    // The records it admits by, and its clock: the server's token administration writes there.
    TokenRecords &records() { return m_records; }
    const Clock &clock() const { return m_clock; }

private:
    Admission refuse(const QString &address, const QString &reason);
    // `address` is past the limit: only a valid token gets in.
    Admission admitOverLimit(const QString &address, const QJsonValue &token);
    // Failures of `address` still inside the window.
    int recentFailures(const QString &address);

    TokenRecords &m_records;
    const Clock &m_clock;
    Settings m_settings;
    QHash<QString, QList<TimePoint>> m_failures;
};

} // namespace antibody
