// antibodyctl token create|list|revoke: the API tokens of a team server's people, in
// the store the server's configuration names, or over its client API with --server
// (docs/team.md, "Identities").
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/optionreader.h"
#include "app/antibodyctl/remotetokens.h"
#include "app/antibodyctl/serveroptions.h"
#include "app/antibodyctl/tokenstore.h"
#include "engine/store/identity.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

const char tokenUsage[]
    = "usage: antibodyctl token create --config FILE --subject NAME [--groups a,b] [--expires 30d] [--data-dir DIR]\n"
      "       antibodyctl token list --config FILE [--json] [--data-dir DIR]\n"
      "       antibodyctl token revoke ID --config FILE [--data-dir DIR]\n"
      "       antibodyctl token create|list|revoke ... --server URL [--token-file FILE] [--ca-file PEM]\n"
      "\n"
      "The tokens of the team server that FILE configures, in its store: server.database's PostgreSQL,\n"
      "else the SQLite file of the data folder. `create` prints the token once, on stdout; the store\n"
      "keeps its SHA-256 only. Tokens live 30 days unless --expires says otherwise, at most 90.\n"
      "Each creation and revocation is in the audit trail, with who ran it.\n"
      "With --server instead of --config: over the team server's client API, as the person your own token\n"
      "names, when the server's policy lets you `admin`; a new token's secret is drawn here and never sent.\n"
      "Exit status: 0 done, 1 refused (no such token, revoked already; by the server or its policy), 2 usage\n"
      "error, or the store or the server could not be asked.\n";

struct Options
{
    QString action;
    QString config;
    QString dataDir;
    QString subject;
    QStringList groups;
    bool groupsGiven = false;
    QString expires;
    QString id;
    bool json = false;
    QString again; // the place, as a later command names it: "--config FILE", "--server URL"
    const RemoteTokenRecords *remote = nullptr; // with --server: whether a failure was the server's refusal
};

// Exit 1 for a refusal (by the server, or of a token that is not there), 2 when the store
// or the server could not be asked.
int failed(const Options &o, bool refusedByStore)
{
    if (o.remote)
        return o.remote->unreachable() ? UsageError : Failed;
    return refusedByStore ? Failed : UsageError;
}

int usageError(Io &io, const QString &message)
{
    io.err << "antibodyctl token: " << message << '\n' << tokenUsage;
    return UsageError;
}

// A value that is not allowed: the reason alone, without the whole usage.
int valueError(Io &io, const QString &message)
{
    io.err << "antibodyctl token create: " << message << '\n';
    return UsageError;
}

TimePoint now()
{
    return fromMillis(QDateTime::currentMSecsSinceEpoch());
}

QString stateOf(const ApiToken &t, TimePoint at)
{
    if (t.revoked())
        return u"revoked by %1 at %2"_s.arg(t.revokedBy, formatTime(*t.revokedAt));
    if (t.expired(at))
        return u"expired"_s;
    return u"active"_s;
}

// "abt_1a2b3c4d5e6f…", "abt_1a2b3c4d5e6f_secret" or "1a2b3c4d5e6f": the id.
QString idFrom(QString given)
{
    if (given.startsWith(u"abt_"_s))
        given = given.mid(4).section(u'_', 0, 0);
    if (given.endsWith(u"…"_s))
        given.chop(1);
    return given;
}

int create(const Options &o, TokenRecords &records, const QString &location, Io &io)
{
    if (QString problem = ApiTokens::subjectProblem(o.subject); !problem.isEmpty())
        return valueError(io, u"--subject: "_s + problem);
    if (QString problem = ApiTokens::groupsProblem(o.groups); !problem.isEmpty())
        return valueError(io, u"--groups: "_s + problem);
    Duration lifetime = ApiTokens::defaultLifetime;
    if (!o.expires.isNull()) {
        QString error;
        const auto parsed = ApiTokens::parseLifetime(o.expires, &error);
        if (!parsed)
            return valueError(io, u"--expires: "_s + error);
        lifetime = *parsed;
    }
    const QString by = Identity::osUser(); // the server stamps its own (the token's subject)
    for (int attempt = 0; attempt < 3; ++attempt) { // 48 random bits: a taken id is rare, drawing again is enough
        const IssuedToken issued = ApiTokens::issue(o.subject, o.groups, by, now(), lifetime);
        const TokenWrite written = records.createToken(issued.record);
        if (written.done) {
            io.out << issued.text << '\n';
            io.out.flush();
            io.err << "Created the token " << ApiToken::shortForm(issued.record.id) << " for " << o.subject
                   << (o.groups.isEmpty() ? QString() : u" (groups %1)"_s.arg(o.groups.join(u", "_s)))
                   << ", valid until " << formatTime(issued.record.expiresAt) << " (" << formatDuration(lifetime)
                   << "), in " << location << ".\n"
                   << "It is shown only now: the store keeps its SHA-256, never the token. Hand it to " << o.subject
                   << " over a channel you trust; revoke it with: antibodyctl token revoke " << issued.record.id << ' '
                   << o.again << '\n';
            io.err.flush();
            return Ok;
        }
        if (written.reason != TokenRecords::idTaken(issued.record.id)) {
            io.err << "antibodyctl token create: not created: " << written.reason << '\n';
            return failed(o, false);
        }
    }
    io.err << "antibodyctl token create: not created: three random ids in a row were taken; try again\n";
    return UsageError;
}

int list(const Options &o, TokenRecords &records, const QString &location, Io &io)
{
    const QList<ApiToken> tokens = records.tokens();
    if (o.remote && !o.remote->failure().isEmpty()) {
        io.err << "antibodyctl token list: " << o.remote->failure() << '\n';
        return failed(o, false);
    }
    const TimePoint at = now();
    if (o.json) {
        QJsonArray out;
        for (const ApiToken &t : tokens) {
            QJsonObject row { { u"id"_s, t.id }, { u"subject"_s, t.subject },
                { u"groups"_s, QJsonArray::fromStringList(t.groups) }, { u"created_at"_s, formatTime(t.createdAt) },
                { u"created_by"_s, t.createdBy }, { u"expires_at"_s, formatTime(t.expiresAt) },
                { u"state"_s, t.revoked() ? u"revoked"_s : (t.expired(at) ? u"expired"_s : u"active"_s) } };
            if (t.revoked()) {
                row.insert(u"revoked_at"_s, formatTime(*t.revokedAt));
                row.insert(u"revoked_by"_s, t.revokedBy);
            }
            out.append(row);
        }
        io.out << QJsonDocument(out).toJson(QJsonDocument::Indented);
        return Ok;
    }
    if (tokens.isEmpty()) {
        io.out << "No API tokens in " << location << " (antibodyctl token create makes one).\n";
        return Ok;
    }
    io.out << u"%1 %2 %3 %4 %5"_s.arg(u"ID"_s, -13)
                  .arg(u"SUBJECT"_s, -16)
                  .arg(u"GROUPS"_s, -16)
                  .arg(u"EXPIRES"_s, -25)
                  .arg(u"STATE"_s)
           << '\n';
    for (const ApiToken &t : tokens) {
        io.out << u"%1 %2 %3 %4 %5"_s.arg(t.id, -13)
                      .arg(t.subject, -16)
                      .arg(t.groups.isEmpty() ? u"-"_s : t.groups.join(u','), -16)
                      .arg(formatTime(t.expiresAt), -25)
                      .arg(stateOf(t, at))
               << '\n';
    }
    return Ok;
}

int revoke(const Options &o, TokenRecords &records, Io &io)
{
    const QString id = idFrom(o.id);
    const TokenWrite written = records.revokeToken(id, Identity::osUser(), now());
    if (!written.done) {
        io.err << "antibodyctl token revoke: not revoked: " << written.reason << '\n';
        return failed(o, true);
    }
    const auto token = records.findToken(id);
    io.out << "Revoked the token " << ApiToken::shortForm(id) << (token ? u" of "_s + token->subject : QString())
           << ".\n";
    return Ok;
}

// What follows the action's own checks, either way: the same three flows.
int act(const Options &o, TokenRecords &records, const QString &location, Io &io)
{
    if (o.action == u"create"_s)
        return create(o, records, location, io);
    if (o.action == u"list"_s)
        return list(o, records, location, io);
    return revoke(o, records, io);
}

// What is wrong with the action and its options, whichever way it goes; empty when nothing.
QString actionProblem(const Options &o)
{
    if (o.action != u"create"_s && o.action != u"list"_s && o.action != u"revoke"_s)
        return o.action.isEmpty() ? u"say create, list or revoke"_s
                                  : u"unknown action '%1': say create, list or revoke"_s.arg(o.action.left(40));
    if (o.action == u"create"_s && o.subject.isNull())
        return u"--subject NAME is required: who the token identifies"_s;
    if (o.action != u"create"_s && (!o.subject.isNull() || o.groupsGiven || !o.expires.isNull()))
        return u"--subject, --groups and --expires are for token create"_s;
    if (o.action == u"revoke"_s && o.id.isEmpty())
        return u"say which token: antibodyctl token revoke ID (token list shows the ids)"_s;
    if (o.json && o.action != u"list"_s)
        return u"--json is for token list"_s;
    return {};
}

// The options token's actions share, whichever way they go; true when it took the one the reader stands on.
bool takeOwn(OptionReader &options, Options &o, QString *error)
{
    QString value;
    if (options.is(u"--subject") || options.is(u"--groups") || options.is(u"--expires")) {
        if (!options.take(&value, error))
            return true;
        if (options.is(u"--subject"))
            o.subject = value;
        else if (options.is(u"--expires"))
            o.expires = value;
        else {
            o.groups = value.split(u',');
            o.groupsGiven = true;
        }
        return true;
    }
    if (options.isOption())
        return false;
    if (o.action.isEmpty())
        o.action = options.argument();
    else if (o.action == u"revoke"_s && o.id.isEmpty())
        o.id = options.argument();
    else
        return false;
    return true;
}

int runTokenOnServer(const QStringList &arguments, Io &io)
{
    Options o;
    ServerOptions server;
    const QString error
        = server.read(arguments, u"token"_s, [&](OptionReader &r, QString *e) { return takeOwn(r, o, e); });
    if (server.help) {
        io.out << tokenUsage;
        return Ok;
    }
    o.json = server.json;
    const QString problem = error.isEmpty() ? actionProblem(o) : error;
    if (!problem.isEmpty())
        return usageError(io, problem);
    if (!o.groupsGiven)
        o.groups.clear();
    const QString url = server.connection.url.toString();
    if (server.connection.token.isEmpty())
        return usageError(io,
            u"--server needs your own API token (--token-file FILE or ANTIBODY_TOKEN): the server lets only a person "
            u"its policy allows `admin` administer tokens"_s);
    ServerConnection connection(server.connection);
    QString failure;
    const auto welcome = connection.open(std::nullopt, &failure);
    if (!welcome) {
        io.err << "antibodyctl token: " << failure << '\n';
        return UsageError;
    }
    RemoteTokenRecords records(connection);
    o.remote = &records;
    o.again = u"--server "_s + url;
    return act(o, records, u"the team server %1"_s.arg(url), io);
}

} // namespace

int runToken(const QStringList &arguments, Io &io)
{
    if (ServerOptions::requested(arguments))
        return runTokenOnServer(arguments, io);
    QStringList args = arguments;
    Options o;
    QString error;
    o.dataDir = OptionReader::takeDataDir(args, &error);
    if (!error.isEmpty())
        return usageError(io, error);
    OptionReader options(args, u"token"_s);
    while (options.next()) {
        if (options.flag(u"--help") || options.flag(u"-h")) {
            io.out << tokenUsage;
            return Ok;
        }
        if (options.is(u"--config")) {
            if (!options.take(&o.config, &error))
                return usageError(io, error);
        } else if (options.flag(u"--json")) {
            o.json = true;
        } else if (!takeOwn(options, o, &error)) {
            return usageError(io,
                options.isOption() ? options.unknown()
                                   : u"unexpected argument '%1'"_s.arg(options.argument().left(80)));
        } else if (!error.isEmpty()) {
            return usageError(io, error);
        }
    }
    if (const QString problem = actionProblem(o); !problem.isEmpty())
        return usageError(io, problem);
    if (o.config.isEmpty())
        return usageError(io, u"--config FILE is required: the configuration antibody-server runs with"_s);
    if (!o.groupsGiven)
        o.groups.clear();
    o.again = u"--config "_s + o.config + (o.dataDir.isEmpty() ? QString() : u" --data-dir "_s + o.dataDir);

    auto store = TokenStore::open(o.config, o.dataDir, io.err, &error);
    if (!store) {
        io.err << "antibodyctl token: " << error << '\n';
        return UsageError;
    }
    return act(o, store->records(), store->location(), io);
}

} // namespace antibody::ctl
