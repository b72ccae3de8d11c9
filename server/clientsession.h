#pragma once

#include "engine/core/time.h"
#include "engine/ports/store.h"
#include "server/serverrole.h"
#include "server/teamaccess.h"

#include <QJsonArray>
#include <QJsonObject>
#include <QObject>
#include <QString>
#include <memory>

class QWebSocket;

namespace antibody {

class Engine;
class EventJournal;
class RangeQueries;
class TeamRecords;
class TokenGate;

// One connected console or `antibodyctl --server`: the protocol of docs/team.md.
// The client's first message is `hello` (who it is, and the last event number it
// saw, or how many recent events it wants on a first connection); it then gets a
// snapshot of the engine's state, the events it missed (or the recent ones), and from
// then on every event, record change and heartbeat, each once and in order.
// Its commands (approve, deny, cancel, reset_breaker, list, query_range) are answered
// by `reply` messages that carry the request's id.
class ClientSession : public QObject
{
    Q_OBJECT
public:
    ClientSession(std::unique_ptr<QWebSocket> socket, Engine &engine, const TeamRecords &records, EventJournal &journal,
        const ServerRole &role, const RangeQueries &ranges, Duration heartbeat, QObject *parent = nullptr);
    ~ClientSession() override;

    // Whether hello has been received: only then does the client get events.
    bool greeted() const { return m_greeted; }
    QString peer() const;
    // Who it is: its token's subject (else its hello's name), its token id and groups.
    const ClientIdentity &identity() const { return m_identity; }
    // Sends one message (a record change, a heartbeat) to a greeted client.
    void send(const QJsonObject &message);
    // One event the journal appended: sent unless this client already had it.
    void deliver(const AuditLog::StoredEvent &event);
    void close(const QString &reason);
    // After the policy changed: false, and the client refused and closed with the rule,
    // when its person may no longer view; else it hears each proposal again with whether
    // its person may approve it now.
    bool policyChanged(const QList<Proposal> &proposals);
    // Checks hello's token (and names the session by its subject); none: hello's name.
    void setTokenGate(TokenGate *gate) { m_tokens = gate; }
    // The policy every command passes; none: nothing is enforced.
    void setAccess(const TeamAccess *access) { m_access = access; }
    // The server's installer (it outlives the session); an empty one refuses installs.
    void setRunbookInstaller(const RunbookInstaller *installer) { m_installer = installer; }

    // A message larger than this closes the connection: no command needs more.
    static constexpr qint64 maxMessageBytes = 64 * 1024;
    // The most events a first connection's `recent` gets: the console's backfill is bounded.
    static constexpr int maxRecentEvents = 5'000;
    // Range reads a client may have unanswered at once; one more is refused, not queued.
    static constexpr int maxRangeReads = 8;

Q_SIGNALS:
    void closed();
    // Hello passed: the client has had its welcome and snapshot.
    void welcomed();
    // `looking`: the incident the client has open (a string), or nothing (anything else).
    void looking(const QJsonValue &incident);

private:
    void received(const QString &text);
    void hello(const QJsonObject &message);
    // hello's token, when a gate checks them: false (refused and closing) when it does not pass.
    bool admit(const QJsonObject &hello);
    QJsonObject command(const QJsonObject &message);
    // Empty when the policy lets this client do `verb` on `object`; else the refusal the
    // client reads, after the refusal is in the audit trail.
    QString refusal(PolicyVerb verb, const PolicyObject &object, const QString &incidentId);
    // hello's refusal (a token, the policy's view) as a message in full, then the close.
    void refuseHello(const QString &reason);
    QJsonObject snapshot() const;
    // Each held incident's current proposal: what the snapshot and `list proposals` send.
    QJsonArray currentProposals() const;
    QJsonObject list(const QJsonObject &message);
    // `install_runbook`: the YAML linted as the loader reads a file, the policy asked
    // (install_runbook on its name and highest tier), then stored and loaded.
    QJsonObject installRunbook(const QJsonObject &message);
    // `token_create`, `token_list`, `token_revoke`: for an identity with a token whom a
    // policy in force lets `admin`; never without a policy.
    QJsonObject administerTokens(const QJsonObject &message);
    // `query_range`: answered when the metric source has read, unless refused now.
    void queryRange(const QJsonObject &message);
    // The events after the last one sent, up to at least `seq`, from the store.
    void replayUpTo(qint64 seq);

    std::unique_ptr<QWebSocket> m_socket;
    Engine &m_engine;
    const TeamRecords &m_records; // what the client sees: the engine's records and the shared store's
    EventJournal &m_journal;
    const ServerRole &m_role;
    const RangeQueries &m_ranges;
    Duration m_heartbeat; // told in welcome, so that the client knows when silence means a dead link
    bool m_greeted = false;
    QString m_name; // who the client says it is (hello.name)
    ClientIdentity m_identity; // who it is to the policy: its token's subject, or its name
    qint64 m_sentSeq = 0; // the newest event number this client has had
    int m_badMessages = 0;
    int m_rangeReads = 0; // sent to the metric source, not answered yet
    TokenGate *m_tokens = nullptr;
    const TeamAccess *m_access = nullptr;
    const RunbookInstaller *m_installer = nullptr;
};

} // namespace antibody
