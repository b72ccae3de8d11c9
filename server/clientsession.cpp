#include "server/clientsession.h"

#include "engine/pipeline/engine.h"
#include "engine/ports/runbookrecords.h"
#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/runbookloader.h"
#include "server/eventjournal.h"
#include "server/mayapprove.h"
#include "server/rangequeries.h"
#include "server/teamrecords.h"
#include "server/tokenadmin.h"
#include "server/tokengate.h"
#include "server/wire.h"

#include <QCryptographicHash>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QPointer>
#include <QRegularExpression>
#include <QTimer>
#include <QWebSocket>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

constexpr int helloTimeoutMs = 10'000;
constexpr int replayPage = 500;
constexpr int maxBadMessages = 5;

QString statusText(Engine::ApprovalResult::Status s)
{
    switch (s) {
    case Engine::ApprovalResult::Status::Executing:
        return u"executing"_s;
    case Engine::ApprovalResult::Status::NeedsMore:
        return u"needs_more"_s;
    case Engine::ApprovalResult::Status::Refused:
        return u"refused"_s;
    case Engine::ApprovalResult::Status::AlreadyClaimed:
        return u"already_claimed"_s;
    }
    return u"refused"_s;
}

QJsonObject reply(const QJsonObject &request, bool ok, const QString &reason = {})
{
    QJsonObject out { { u"type"_s, u"reply"_s }, { u"request"_s, request.value(u"request"_s) }, { u"ok"_s, ok } };
    if (!reason.isEmpty())
        out.insert(u"reason"_s, reason);
    return out;
}

// A required text field of a command; empty when missing or not text.
QString field(const QJsonObject &message, const QString &name)
{
    return message.value(name).toString().trimmed();
}

} // namespace

ClientSession::ClientSession(std::unique_ptr<QWebSocket> socket, Engine &engine, const TeamRecords &records,
    EventJournal &journal, const ServerRole &role, const RangeQueries &ranges, Duration heartbeat, QObject *parent)
    : QObject(parent)
    , m_socket(std::move(socket))
    , m_engine(engine)
    , m_records(records)
    , m_journal(journal)
    , m_role(role)
    , m_ranges(ranges)
    , m_heartbeat(heartbeat)
{
    m_socket->setMaxAllowedIncomingMessageSize(maxMessageBytes);
    m_socket->setMaxAllowedIncomingFrameSize(maxMessageBytes);
    connect(m_socket.get(), &QWebSocket::textMessageReceived, this, &ClientSession::received);
    connect(m_socket.get(), &QWebSocket::binaryMessageReceived, this,
        [this] { close(u"binary messages are not part of the protocol"_s); });
    connect(m_socket.get(), &QWebSocket::disconnected, this, &ClientSession::closed);
    QTimer::singleShot(helloTimeoutMs, this, [this] {
        if (!m_greeted)
            close(u"no hello within 10 s"_s);
    });
}

ClientSession::~ClientSession() = default;

QString ClientSession::peer() const
{
    return u"%1:%2"_s.arg(m_socket->peerAddress().toString()).arg(m_socket->peerPort());
}

void ClientSession::send(const QJsonObject &message)
{
    if (m_greeted)
        m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

void ClientSession::close(const QString &reason)
{
    m_socket->close(QWebSocketProtocol::CloseCodePolicyViolated, reason);
}

void ClientSession::replayUpTo(qint64 seq)
{
    // From the store, in pages: whatever the journal has or has not read yet, each
    // event goes out once, because only numbers above the last one sent are sent.
    while (m_greeted && m_sentSeq < seq) {
        const QList<AuditLog::StoredEvent> page = m_journal.after(m_sentSeq, replayPage);
        for (const AuditLog::StoredEvent &e : page) {
            send(wire::event(e));
            m_sentSeq = e.seq;
        }
        if (page.size() < replayPage)
            return;
    }
}

void ClientSession::deliver(const AuditLog::StoredEvent &event)
{
    // The journal hands out every event in order; a replay may have run ahead of it.
    if (!m_greeted || event.seq <= m_sentSeq)
        return;
    send(wire::event(event));
    m_sentSeq = event.seq;
}

void ClientSession::received(const QString &text)
{
    QJsonParseError error;
    const QJsonDocument document = QJsonDocument::fromJson(text.toUtf8(), &error);
    if (!document.isObject()) {
        const QString why = error.error != QJsonParseError::NoError ? error.errorString() : u"not an object"_s;
        if (!m_greeted || ++m_badMessages > maxBadMessages) {
            close(u"not a protocol message: %1"_s.arg(why));
            return;
        }
        send(QJsonObject { { u"type"_s, u"error"_s }, { u"reason"_s, u"not a JSON object: %1"_s.arg(why) } });
        return;
    }
    const QJsonObject message = document.object();
    if (!m_greeted) {
        hello(message);
        return;
    }
    if (message.value(u"type"_s).toString() == u"query_range"_s) {
        queryRange(message);
        return;
    }
    if (message.value(u"type"_s).toString() == u"looking"_s) {
        Q_EMIT looking(message.value(u"incident"_s)); // no reply: presence answers everyone
        return;
    }
    send(command(message));
}

void ClientSession::hello(const QJsonObject &message)
{
    if (message.value(u"type"_s).toString() != u"hello"_s || message.value(u"protocol"_s).toInt() != 1) {
        close(u"the first message must be {\"type\": \"hello\", \"protocol\": 1, ...}"_s);
        return;
    }
    m_name = field(message, u"name"_s).left(200);
    if (!admit(message))
        return;
    // Watching the team's incidents is itself a verb of the policy: a client it does not
    // let view anything is refused before it reads a record.
    if (const QString refused = refusal(PolicyVerb::View, {}, {}); !refused.isEmpty()) {
        refuseHello(refused);
        return;
    }
    m_greeted = true;
    // With `after`, the client gets every event it missed; with `recent` (a first
    // connection), the newest events, at most maxRecentEvents; with neither, it starts from now.
    const QJsonValue after = message.value(u"after"_s);
    const QJsonValue recent = message.value(u"recent"_s);
    if (after.isDouble())
        m_sentSeq = std::max<qint64>(0, after.toInteger());
    else if (recent.isDouble())
        m_sentSeq = m_journal.beforeNewest(int(std::clamp(recent.toDouble(), 0.0, double(maxRecentEvents))));
    else
        m_sentSeq = m_journal.lastSeq();
    send(QJsonObject { { u"type"_s, u"welcome"_s }, { u"protocol"_s, 1 }, { u"seq"_s, m_journal.lastSeq() },
        { u"leading"_s, m_role.leading }, { u"epoch"_s, m_role.epoch }, { u"leader"_s, m_role.leader },
        { u"heartbeat_ms"_s, static_cast<qint64>(m_heartbeat.count()) },
        { u"subject"_s, m_name } }); // who the server knows this client as: the token's subject, else hello's name
    send(snapshot());
    replayUpTo(m_journal.lastSeq());
    Q_EMIT welcomed();
}

bool ClientSession::admit(const QJsonObject &hello)
{
    m_identity = ClientIdentity { m_name, {}, {} };
    if (!m_tokens)
        return true;
    const TokenGate::Admission admission
        = m_tokens->admit(m_socket->peerAddress().toString(), hello.value(u"token"_s), m_name);
    if (!admission.admitted) {
        refuseHello(admission.reason);
        return false;
    }
    m_name = admission.subject;
    m_identity = ClientIdentity { admission.subject, admission.tokenId, admission.groups };
    return true;
}

void ClientSession::refuseHello(const QString &reason)
{
    // The reason in full as a message (a close frame carries 123 bytes at most), then the close.
    m_socket->sendTextMessage(QString::fromUtf8(QJsonDocument(
        QJsonObject { { u"type"_s, u"refused"_s },
            { u"reason"_s, reason } }).toJson(QJsonDocument::Compact)));
    QString brief = reason.section(u": "_s, 0, 0);
    while (brief.toUtf8().size() > 120)
        brief.chop(1);
    close(brief);
}

bool ClientSession::policyChanged(const QList<Proposal> &proposals)
{
    if (!m_greeted)
        return true; // its hello is checked against the policy in force when it comes
    if (const QString refused = refusal(PolicyVerb::View, {}, {}); !refused.isEmpty()) {
        m_greeted = false;
        refuseHello(refused);
        return false;
    }
    for (const Proposal &p : proposals)
        send(QJsonObject {
            { u"type"_s, u"proposal"_s }, { u"proposal"_s, proposalFor(wire::proposal(p), p, m_access, m_identity) } });
    return true;
}

QString ClientSession::refusal(PolicyVerb verb, const PolicyObject &object, const QString &incidentId)
{
    if (!m_access)
        return {};
    const PolicyDecision decision = m_access->decide(m_identity, verb, object);
    if (decision.allowed)
        return {};
    // Only the leader writes the audit trail; a standby refuses every decision before
    // this, and its refusals of a view are in its log.
    if (m_role.leading)
        TeamAccess::audit(m_engine, m_identity, verb, object, decision, incidentId);
    else
        qInfo("antibody-server: the policy refused %s to %s: %s", qPrintable(policyVerbName(verb)),
            qPrintable(m_identity.text()), qPrintable(decision.explanation));
    return u"refused by the policy: %1"_s.arg(decision.explanation);
}

QJsonArray ClientSession::currentProposals() const
{
    QJsonArray out;
    for (const Proposal &p : m_records.proposals())
        out.append(proposalFor(wire::proposal(p), p, m_access, m_identity));
    return out;
}

QJsonObject ClientSession::snapshot() const
{
    QJsonArray incidents;
    for (const Incident &i : m_records.incidents())
        incidents.append(wire::incident(i));
    const QJsonArray proposals = currentProposals();
    QJsonArray breakers;
    for (const BreakerState &b : m_engine.breakers())
        breakers.append(wire::breaker(b));
    QJsonArray feeds;
    for (const FeedHealth &f : m_engine.feeds())
        feeds.append(wire::feed(f));
    return QJsonObject { { u"type"_s, u"snapshot"_s }, { u"incidents"_s, incidents }, { u"proposals"_s, proposals },
        { u"breakers"_s, breakers }, { u"feeds"_s, feeds } };
}

QJsonObject ClientSession::command(const QJsonObject &message)
{
    const QString type = message.value(u"type"_s).toString();
    if (type == u"list"_s)
        return list(message);
    if (TokenAdmin::isCommand(type))
        return administerTokens(message);
    const bool onPlan = type == u"approve"_s || type == u"deny"_s || type == u"break_glass"_s || type == u"request"_s;
    const bool changes = onPlan || type == u"cancel"_s || type == u"reset_breaker"_s || type == u"install_runbook"_s;
    if (!changes)
        return reply(message, false,
            u"unknown command '%1': approve, deny, break_glass, request, cancel, reset_breaker, install_runbook, "
            u"token_create, token_list, token_revoke, "
            u"list or query_range"_s.arg(type));
    if (m_name.isEmpty())
        return reply(message, false, u"say who you are: hello.name is empty, and every decision names a person"_s);
    if (const QString standby = m_role.standbyReason(); !standby.isEmpty())
        return reply(message, false, standby);
    const QString who = m_name;
    const Engine::Credential credential(m_engine, m_identity.tokenId);
    if (type == u"install_runbook"_s)
        return installRunbook(message);
    if (onPlan) {
        const QString proposal = field(message, u"proposal"_s);
        const QString fingerprint = field(message, u"fingerprint"_s);
        if (proposal.isEmpty() || fingerprint.isEmpty())
            return reply(message, false, u"%1 needs the proposal and the fingerprint of the plan you read"_s.arg(type));
        const QString reason = field(message, u"reason"_s).left(1000);
        if (type == u"deny"_s && reason.isEmpty())
            return reply(message, false, u"deny needs a reason: the next person reads it"_s);
        if (type == u"break_glass"_s && reason.isEmpty())
            return reply(message, false, u"break_glass needs a reason: the people who review it read it"_s);
        if (type == u"request"_s && reason.isEmpty())
            return reply(message, false, u"request needs a reason: whoever approves it reads it"_s);
        // A proposal the engine does not hold is refused by the engine, with its reason.
        if (const auto held = m_engine.proposal(proposal)) {
            const PolicyVerb verb = type == u"approve"_s ? PolicyVerb::Approve
                : type == u"deny"_s                      ? PolicyVerb::Deny
                : type == u"request"_s                   ? PolicyVerb::Request
                                                         : PolicyVerb::BreakGlass;
            if (const QString refused = refusal(verb, TeamAccess::objectOf(*held), held->incidentId);
                !refused.isEmpty()) {
                QJsonObject out = reply(message, false, refused);
                out.insert(u"status"_s, u"refused"_s);
                return out;
            }
        }
        if (type == u"deny"_s) {
            // The engine answers every denial with Refused (the plan is refused); whether
            // this one took is the proposal's state afterwards.
            const auto stateOf = [&] {
                const auto p = m_engine.proposal(proposal);
                return p ? std::optional(p->state) : std::nullopt;
            };
            const bool pending = stateOf() == Proposal::State::Pending;
            const Engine::ApprovalResult r = m_engine.deny(proposal, fingerprint, who, reason);
            const bool denied = pending && stateOf() == Proposal::State::Denied;
            QJsonObject out = reply(message, denied, denied ? QString() : r.reason);
            out.insert(u"status"_s, denied ? u"denied"_s : statusText(r.status));
            return out;
        }
        const Engine::ApprovalResult r = type == u"break_glass"_s
            ? m_engine.breakGlass(proposal, fingerprint, who, reason)
            : type == u"request"_s ? m_engine.request(proposal, fingerprint, who, reason)
                                   : m_engine.approve(proposal, fingerprint, who);
        QJsonObject out = reply(message,
            r.status != Engine::ApprovalResult::Status::Refused
                && r.status != Engine::ApprovalResult::Status::AlreadyClaimed,
            r.reason);
        out.insert(u"status"_s, statusText(r.status));
        return out;
    }
    if (type == u"cancel"_s) {
        const QString incident = field(message, u"incident"_s);
        const auto held = m_engine.incident(incident);
        if (!held)
            return reply(message, false, u"no incident '%1' is held by this server"_s.arg(incident));
        const auto current = held->proposalId.isEmpty() ? std::nullopt : m_engine.proposal(held->proposalId);
        const PolicyObject object
            = current ? TeamAccess::objectOf(*current) : PolicyObject { held->service, held->runbook, {} };
        if (const QString refused = refusal(PolicyVerb::Cancel, object, incident); !refused.isEmpty())
            return reply(message, false, refused);
        m_engine.cancel(incident, who);
        return reply(message, true);
    }
    const QString breaker = field(message, u"breaker"_s);
    const auto breakers = m_engine.breakers();
    if (std::none_of(breakers.cbegin(), breakers.cend(), [&](const BreakerState &b) { return b.type == breaker; }))
        return reply(message, false, u"no circuit breaker '%1'"_s.arg(breaker));
    // A breaker is a runbook's: the policy matches its name as the runbook.
    if (const QString refused = refusal(PolicyVerb::ResetBreaker, PolicyObject { {}, breaker, {} }, {});
        !refused.isEmpty())
        return reply(message, false, refused);
    m_engine.resetBreaker(breaker, who);
    return reply(message, true);
}

QJsonObject ClientSession::administerTokens(const QJsonObject &message)
{
    // Minting identities is the one thing an unenforced server never lets anyone do: a
    // hello's name alone could otherwise make itself a token for anybody.
    if (!m_tokens)
        return reply(message, false, u"this server keeps no API tokens"_s);
    if (!m_access || !m_access->enforced() || m_identity.tokenId.isEmpty())
        return reply(message, false,
            u"administering tokens over the client API needs a policy in force (server.policy) that lets you "
            u"admin, and your own API token; else use antibodyctl token --config FILE on a machine that reaches "
            u"the store"_s);
    if (const QString refused = refusal(PolicyVerb::Admin, {}, {}); !refused.isEmpty())
        return reply(message, false, refused);
    const TokenAdmin::Answer answer
        = TokenAdmin::answer(message, m_tokens->records(), m_identity.subject, m_tokens->clock().now());
    QJsonObject out = reply(message, answer.ok, answer.reason);
    for (auto it = answer.fields.constBegin(); it != answer.fields.constEnd(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

QJsonObject ClientSession::installRunbook(const QJsonObject &message)
{
    const QString yaml = message.value(u"yaml"_s).toString();
    if (yaml.trimmed().isEmpty())
        return reply(message, false, u"install_runbook needs the runbook's YAML in `yaml`"_s);
    if (!m_installer || !*m_installer)
        return reply(message, false, u"this server does not install runbooks over the client API"_s);
    // The same reading as `antibodyctl lint`: located problems, nothing installed. Located
    // in the file the person named (its base name, as a name, never a path here).
    const QString file = QFileInfo(field(message, u"file"_s).left(200)).fileName();
    static const QRegularExpression plainName(u"^[A-Za-z0-9._-]+$"_s);
    const QString source = plainName.match(file).hasMatch() ? file : u"the runbook %1 sent"_s.arg(m_name);
    const LoadResult read = loadRunbookText(yaml.toUtf8(), source);
    if (!read.runbook) {
        QJsonArray problems;
        for (const Diagnostic &d : read.diagnostics) {
            if (d.isError() && problems.size() < 20)
                problems.append(d.toString() + (d.hint.isEmpty() ? QString() : u" (%1)"_s.arg(d.hint)));
        }
        QJsonObject out = reply(
            message, false, u"the runbook does not load, nothing was installed: %1"_s.arg(problems.first().toString()));
        out.insert(u"problems"_s, problems);
        return out;
    }
    const Runbook &runbook = *read.runbook;
    Tier highest = Tier::Safe;
    for (const Step &step : runbook.steps) {
        if (const ActionSpec *spec = ActionCatalog::instance().find(step.action))
            highest = std::max(highest, spec->tier);
    }
    if (const QString refused
        = refusal(PolicyVerb::InstallRunbook, PolicyObject { {}, runbook.name, tierText(highest) }, {});
        !refused.isEmpty())
        return reply(message, false, refused);
    InstalledRunbook installed { runbook.name, yaml.toUtf8(),
        QString::fromLatin1(QCryptographicHash::hash(yaml.toUtf8(), QCryptographicHash::Sha256).toHex()), m_name, {},
        runbook.level };
    if (const QString failed = (*m_installer)(installed); !failed.isEmpty())
        return reply(message, false, failed);
    QJsonObject out = reply(message, true);
    out.insert(u"runbook"_s, runbook.name);
    out.insert(u"sha256"_s, installed.sha256);
    out.insert(u"level"_s, runbook.level);
    out.insert(u"by"_s, m_name); // who the server knows: the token's subject, if one was given
    return out;
}

QJsonObject ClientSession::list(const QJsonObject &message)
{
    const QString what = message.value(u"what"_s).toString();
    QJsonArray items;
    if (what == u"incidents"_s) {
        for (const Incident &i : m_records.incidents())
            items.append(wire::incident(i));
    } else if (what == u"proposals"_s) {
        items = currentProposals();
    } else if (what == u"events"_s) {
        const qint64 after = std::max<qint64>(0, message.value(u"after"_s).toInteger());
        const int limit = std::clamp(message.value(u"limit"_s).toInt(100), 1, replayPage);
        for (const AuditLog::StoredEvent &e : m_journal.after(after, limit))
            items.append(wire::event(e));
    } else {
        return reply(message, false, u"list takes what: incidents, proposals or events (got '%1')"_s.arg(what));
    }
    QJsonObject out = reply(message, true);
    out.insert(u"items"_s, items);
    return out;
}

void ClientSession::queryRange(const QJsonObject &message)
{
    if (m_rangeReads >= maxRangeReads) {
        send(reply(message, false,
            u"%1 range reads of this client are not answered yet: ask again when one is"_s.arg(m_rangeReads)));
        return;
    }
    QString error;
    const auto request = m_ranges.parse(message, &error);
    if (!request) {
        send(reply(message, false, error));
        return;
    }
    ++m_rangeReads;
    QPointer<ClientSession> self(this);
    m_ranges.read(*request, [self, asked = reply(message, true)](const QJsonObject &answer) {
        if (!self)
            return;
        --self->m_rangeReads;
        QJsonObject out = asked;
        for (auto it = answer.constBegin(); it != answer.constEnd(); ++it)
            out.insert(it.key(), it.value());
        self->send(out);
    });
}

} // namespace antibody
