#pragma once

#include "client/rangereads.h"
#include "client/reconnectbackoff.h"
#include "client/serveraddress.h"
#include "client/serverfeed.h"
#include "models/link/enginecommands.h"
#include "models/link/metricreader.h"

#include <QHash>
#include <QTimer>
#include <chrono>
#include <memory>
#include <optional>

class QWebSocket;

namespace antibody {

class ConsoleModels;

// The console's link to a team server (`antibody --server URL`), in place of the
// engine in-process: the protocol of docs/team.md over one WebSocket. Approve, deny,
// cancel and reset are sent as commands, and the server's replies come back as
// `answered`. What the server sends lands in ConsoleModels through ServerFeed.
//
// The link keeps the last event number it saw. When the connection drops, or no
// heartbeat comes for two intervals, it tries again after 1 s, 2 s, 4 s... up to 30 s,
// and asks for the events after that number: none lost, none twice. Its state
// (connected, or reconnecting with the reason and the next try) is `connection()`.
//
// A hello carries the person's API token when the link has one (setToken). A server
// that refuses it (or its lack: `server.require_tokens`) says why in a `refused`
// message: the link then waits, trying nothing, until signIn() brings a token or
// signOut() is asked, since the same token would be refused again every second.
class ServerLink : public EngineCommands, public MetricReader
{
    Q_OBJECT
public:
    struct Options
    {
        ServerAddress address;
        QString name; // hello.name: who approves, in the audit trail, when the server takes no token
        std::chrono::milliseconds heartbeat { 20'000 }; // the server's `server.heartbeat`
        std::chrono::milliseconds firstRetry { 1'000 };
        std::chrono::milliseconds longestRetry { 30'000 };
        qint64 maxMessageBytes = 32 * 1024 * 1024; // a snapshot of a busy engine fits; a runaway server does not
        int recentEvents = 2'000; // a first connection's backfill: the newest events of the trail (docs/team.md)
    };

    ServerLink(ConsoleModels *models, Options options, QObject *parent = nullptr);
    ~ServerLink() override;

    // Connects, and keeps connecting until stop().
    void start();
    void stop();
    // The token the next hello carries (empty: none). Never written anywhere by the link.
    void setToken(const QString &token);
    // With the token just set, connects at once (after a refusal, or after signOut()).
    void signIn();
    // Drops the connection and the token, and waits for signIn(); `why` is what the banner says.
    void signOut(const QString &why);

    void approve(const QString &proposalId, const QString &fingerprint) override;
    void deny(const QString &proposalId, const QString &fingerprint, const QString &reason) override;
    void request(const QString &proposalId, const QString &fingerprint, const QString &reason) override;
    void resetBreaker(const QString &type) override;
    void cancel(const QString &incidentId) override;
    // Tells the server which incident the person has open (`looking`), at most one
    // message per 250 ms however fast the selection moves, and again after a reconnect.
    void setOpenIncident(const QString &incidentId) override;
    // Who the server admitted this console as (the token's subject), once it said so; --name before.
    QString approver() const override { return m_subject.isEmpty() ? m_options.name : m_subject; }
    ConnectionState connection() const override { return m_state; }

    // The charts read the server's metric source: one `query_range` a chart (RangeReads).
    void readWindow(const QList<MetricQuery> &queries, Duration span, Duration step, QObject *context,
        std::function<void(const Window &)> done) override;

    const ServerFeed &feed() const { return m_feed; }
    // Whether anything is under way or scheduled: an attempt, a retry, a watchdog. False
    // while the link waits for a sign-in, which is why no wait, however long, changes it.
    bool tryingToConnect() const;

Q_SIGNALS:
    // The first snapshot from the server has landed in the models.
    void attached();
    // The server welcomed this console's hello: as `subject` (its token's, or hello's name).
    void admitted(const QString &subject);
    // The server refused the hello (its token, or none): `reason` as the server said it.
    void refused(const QString &reason);

private:
    enum class Command { Approve, Deny, Cancel, ResetBreaker, Request };
    // Commands on a plan: their answer goes to the proposal card (EngineCommands::answered).
    static bool onPlan(Command c) { return c == Command::Approve || c == Command::Deny || c == Command::Request; }
    struct Pending
    {
        Command command;
        QString subject; // the proposal, incident or breaker
    };

    void connectNow();
    void greet();
    void received(const QString &text);
    void welcome(const QJsonObject &message);
    // `welcome` and `role`: whether the server leads, and who does when it stands by.
    void noteRole(const QJsonObject &message);
    void reply(const QJsonObject &message);
    // The attempt failed or the connection dropped: say why, and try again later.
    void dropped(const QString &reason);
    // Ends the attempt (once per attempt) and enters `phase`: Reconnecting schedules the next try.
    bool halt(ConnectionState::Phase phase, const QString &reason);
    void send(Command command, const QString &subject, QJsonObject message);
    void sendText(const QJsonObject &message);
    void failPending(const QString &reason);
    void setState(ConnectionState state);
    void noteProblem();
    // Sends `looking` when the incident open differs from what the server was last told.
    void tellLooking();
    QString socketFailure() const;

    ConsoleModels *m_models;
    Options m_options;
    ServerFeed m_feed;
    RangeReads m_ranges;
    ReconnectBackoff m_backoff;
    std::unique_ptr<QWebSocket> m_socket;
    QTimer m_watchdog; // no message for two heartbeats: the connection is dead even if TCP has not noticed
    QTimer m_retry;
    QTimer m_clock; // the server's time, estimated, for ages and the clock in the status bar
    QTimer m_looking; // coalesces `looking`: arrow keys through the list send one message, not twenty
    QString m_openIncident; // what the person has open
    std::optional<QString> m_toldLooking; // what this connection's server knows; none: not connected
    ConnectionState m_state;
    QHash<QString, Pending> m_pending;
    QString m_token; // the person's API token for hello; never logged
    QString m_subject; // who the server admitted, from `welcome`
    int m_requests = 0;
    bool m_running = false;
    int m_attempts = 0; // attempts begun, so that a late word from an earlier one is ignored
    bool m_attemptLive = false; // the current attempt has not failed yet
    bool m_socketOpen = false; // the current attempt reached the server (TCP, TLS and the WebSocket handshake)
    bool m_welcomed = false;
    bool m_attached = false;
    bool m_standingBy = false;
    QString m_leader;
    QString m_tlsFailure; // why TLS refused the server, which a socket error would only call "remote closed"
};

} // namespace antibody
