// antibodyctl token create|list|revoke: the API tokens of a team server's people, in
// the store the server's configuration names (docs/team.md, "Identities").
#include "app/antibodyctl/command.h"
#include "app/antibodyctl/optionreader.h"
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
      "\n"
      "The tokens of the team server that FILE configures, in its store: server.database's PostgreSQL,\n"
      "else the SQLite file of the data folder. `create` prints the token once, on stdout; the store\n"
      "keeps its SHA-256 only. Tokens live 30 days unless --expires says otherwise, at most 90.\n"
      "Each creation and revocation is in the audit trail, with who ran it.\n"
      "Exit status: 0 done, 1 refused (no such token, revoked already), 2 usage error or the store failed.\n";

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
};

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
    const QString by = Identity::osUser();
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
                   << " over a channel you trust; revoke it with: antibodyctl token revoke " << issued.record.id
                   << " --config " << o.config << (o.dataDir.isEmpty() ? QString() : u" --data-dir "_s + o.dataDir)
                   << '\n';
            io.err.flush();
            return Ok;
        }
        if (written.reason != TokenRecords::idTaken(issued.record.id)) {
            io.err << "antibodyctl token create: not created: " << written.reason << '\n';
            return UsageError;
        }
    }
    io.err << "antibodyctl token create: not created: three random ids in a row were taken; try again\n";
    return UsageError;
}

int list(const Options &o, TokenRecords &records, const QString &location, Io &io)
{
    const QList<ApiToken> tokens = records.tokens();
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
        return Failed;
    }
    const auto token = records.findToken(id);
    io.out << "Revoked the token " << ApiToken::shortForm(id) << (token ? u" of "_s + token->subject : QString())
           << ".\n";
    return Ok;
}

} // namespace

int runToken(const QStringList &arguments, Io &io)
{
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
        QString value;
        if (options.is(u"--config") || options.is(u"--subject") || options.is(u"--groups")
            || options.is(u"--expires")) {
            if (!options.take(&value, &error))
                return usageError(io, error);
            if (options.is(u"--config"))
                o.config = value;
            else if (options.is(u"--subject"))
                o.subject = value;
            else if (options.is(u"--expires"))
                o.expires = value;
            else {
                o.groups = value.split(u',');
                o.groupsGiven = true;
            }
        } else if (options.flag(u"--json")) {
            o.json = true;
        } else if (options.isOption()) {
            return usageError(io, options.unknown());
        } else if (o.action.isEmpty()) {
            o.action = options.argument();
        } else if (o.action == u"revoke"_s && o.id.isEmpty()) {
            o.id = options.argument();
        } else {
            return usageError(io, u"unexpected argument '%1'"_s.arg(options.argument().left(80)));
        }
    }
    if (o.action != u"create"_s && o.action != u"list"_s && o.action != u"revoke"_s)
        return usageError(io,
            o.action.isEmpty() ? u"say create, list or revoke"_s
                               : u"unknown action '%1': say create, list or revoke"_s.arg(o.action.left(40)));
    if (o.config.isEmpty())
        return usageError(io, u"--config FILE is required: the configuration antibody-server runs with"_s);
    if (o.action == u"create"_s && o.subject.isNull())
        return usageError(io, u"--subject NAME is required: who the token identifies"_s);
    if (o.action != u"create"_s && (!o.subject.isNull() || o.groupsGiven || !o.expires.isNull()))
        return usageError(io, u"--subject, --groups and --expires are for token create"_s);
    if (o.action == u"revoke"_s && o.id.isEmpty())
        return usageError(io, u"say which token: antibodyctl token revoke ID (token list shows the ids)"_s);
    if (o.json && o.action != u"list"_s)
        return usageError(io, u"--json is for token list"_s);
    if (!o.groupsGiven)
        o.groups.clear();

    auto store = TokenStore::open(o.config, o.dataDir, io.err, &error);
    if (!store) {
        io.err << "antibodyctl token: " << error << '\n';
        return UsageError;
    }
    if (o.action == u"create"_s)
        return create(o, store->records(), store->location(), io);
    if (o.action == u"list"_s)
        return list(o, store->records(), store->location(), io);
    return revoke(o, store->records(), io);
}

} // namespace antibody::ctl
