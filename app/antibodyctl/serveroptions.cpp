#include "app/antibodyctl/serveroptions.h"

#include "app/antibodyctl/optionreader.h"
#include "app/antibodyctl/timeline.h"
#include "engine/domain/apitoken.h"
#include "engine/store/identity.h"

#include <QFile>
#include <QFileInfo>
#include <QHostAddress>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

namespace {

constexpr int defaultPort = 8443; // server.listen's default port (docs/team.md)

bool isServerOption(const QString &arg)
{
    return arg == u"--server"_s || arg.startsWith(u"--server="_s);
}

bool loopback(const QString &host)
{
    const QHostAddress address(host);
    return host == u"localhost"_s || (!address.isNull() && address.isLoopback());
}

// "0644": the permissions as chmod and ls -l speak of them.
QString unixMode(QFileDevice::Permissions p)
{
    const auto digit = [&](QFileDevice::Permission r, QFileDevice::Permission w, QFileDevice::Permission x) {
        return QChar(u'0' + ((p & r) ? 4 : 0) + ((p & w) ? 2 : 0) + ((p & x) ? 1 : 0));
    };
    return QString(u'0') + digit(QFileDevice::ReadOwner, QFileDevice::WriteOwner, QFileDevice::ExeOwner)
        + digit(QFileDevice::ReadGroup, QFileDevice::WriteGroup, QFileDevice::ExeGroup)
        + digit(QFileDevice::ReadOther, QFileDevice::WriteOther, QFileDevice::ExeOther);
}

} // namespace

const char ServerOptions::helpText[]
    = "  --server URL       the team's antibody-server: wss://HOST[:PORT] (port 8443 when left out)\n"
      "  --ca-file PEM      trust the CA in this file besides the system's (a private CA, a test certificate);\n"
      "                     the server's certificate is always verified\n"
      "  --name NAME        who you are to the server; every decision carries it (default: your login)\n"
      "  --token-file FILE  your API token (antibodyctl token create), in a file only you can read (chmod\n"
      "                     600); without it, the ANTIBODY_TOKEN environment variable; the server then\n"
      "                     knows you by the token, not by --name\n"
      "  --timeout SECONDS  how long to wait to connect and for each answer (default 10)\n"
      "  --json             JSON instead of text\n";

bool ServerOptions::requested(const QStringList &args)
{
    return std::any_of(args.cbegin(), args.cend(), isServerOption);
}

QStringList ServerOptions::commandFirst(const QStringList &args)
{
    if (args.isEmpty() || !isServerOption(args.first()))
        return args;
    const qsizetype taken = args.first().contains(u'=') ? 1 : 2;
    if (args.size() <= taken)
        return args; // `--server URL` and no command: the usage error says so
    QStringList out = args.mid(taken);
    const QStringList option = args.mid(0, taken);
    out.insert(1, option.value(0));
    if (taken == 2)
        out.insert(2, option.value(1));
    return out;
}

bool ServerOptions::take(OptionReader &reader, QString *error)
{
    if (reader.flag(u"--json")) {
        json = true;
        return true;
    }
    if (!reader.is(u"--server") && !reader.is(u"--ca-file") && !reader.is(u"--name") && !reader.is(u"--timeout")
        && !reader.is(u"--token-file"))
        return false;
    QString value;
    if (!reader.take(&value, error))
        return true;
    if (reader.is(u"--server")) {
        connection.url = QUrl(value, QUrl::StrictMode);
        if (!connection.url.isValid() || connection.url.host().isEmpty())
            *error = u"--server wants a URL such as wss://antibody.example.org:8443, not '%1'"_s.arg(
                printable(value.left(100)));
    } else if (reader.is(u"--ca-file")) {
        connection.caFile = value;
    } else if (reader.is(u"--token-file")) {
        tokenFile = value;
    } else if (reader.is(u"--name")) {
        connection.name = value.trimmed();
        if (connection.name.isEmpty())
            *error = u"--name needs the name you act under, not an empty one"_s;
    } else {
        bool ok = false;
        const double s = value.toDouble(&ok);
        if (!ok || s <= 0 || s > 600)
            *error = u"--timeout wants seconds, more than 0 and at most 600, not '%1'"_s.arg(printable(value.left(40)));
        else
            connection.timeout = std::chrono::milliseconds(static_cast<qint64>(s * 1000));
    }
    return true;
}

bool ServerOptions::takeNumber(
    OptionReader &reader, qint64 least, qint64 most, const QString &what, qint64 *out, QString *error)
{
    QString value;
    if (!reader.take(&value, error))
        return false;
    bool ok = false;
    const qint64 n = value.toLongLong(&ok);
    if (!ok || n < least || n > most) {
        *error = u"%1 wants %2 from %3 to %4, not '%5'"_s.arg(reader.name(), what)
                     .arg(least)
                     .arg(most)
                     .arg(printable(value.left(40)));
        return false;
    }
    *out = n;
    return true;
}

QString ServerOptions::read(
    const QStringList &args, const QString &command, const std::function<bool(OptionReader &, QString *)> &own)
{
    OptionReader reader(args, command);
    QString error;
    while (reader.next() && error.isEmpty()) {
        if (reader.flag(u"--help") || reader.flag(u"-h"))
            help = true;
        else if (!take(reader, &error) && !own(reader, &error))
            error = reader.isOption() ? reader.unknown()
                                      : u"unexpected argument '%1' (see `antibodyctl %2 --help`)"_s.arg(
                                          printable(reader.argument().left(100)), command);
    }
    return error.isEmpty() ? check() : error;
}

QString ServerOptions::check()
{
    QUrl &url = connection.url;
    if (url.isEmpty())
        return u"--server URL is required: the team's antibody-server, e.g. --server wss://antibody.example.org:8443"_s;
    const QString scheme = url.scheme();
    if (scheme != u"wss"_s && scheme != u"ws"_s)
        return u"--server %1: the URL starts with wss:// (TLS; ws:// only on this machine)"_s.arg(url.toString());
    // Approvals never cross a network in clear text; the server refuses it as well.
    if (scheme == u"ws"_s && !loopback(url.host()))
        return u"--server %1: ws:// sends approvals in clear text and is only for 127.0.0.1, ::1 or localhost: use "
               u"wss://"_s.arg(url.toString());
    if (url.port() < 0)
        url.setPort(defaultPort);
    if (connection.name.isEmpty())
        connection.name = Identity::approver();
    return readToken();
}

QString ServerOptions::readToken()
{
    QString text;
    QString from;
    if (!tokenFile.isEmpty()) {
        from = u"--token-file %1"_s.arg(printable(tokenFile));
        const QFileInfo info(tokenFile);
        if (!info.exists())
            return u"%1: no such file (write the token antibodyctl token create printed there, then chmod 600 it)"_s
                .arg(from);
        if (!info.isFile())
            return u"%1: not a regular file: give the file that holds your token"_s.arg(from);
        // Like ssh with a private key: a token others can read is not used, so that a
        // leaked permission is noticed before the token is.
        const QFileDevice::Permissions shared = QFileDevice::ReadGroup | QFileDevice::WriteGroup | QFileDevice::ExeGroup
            | QFileDevice::ReadOther | QFileDevice::WriteOther | QFileDevice::ExeOther;
        if (info.permissions() & shared)
            return u"%1: its group or others may read or change it (mode %2): chmod 600 %3; if someone did read it, "
                   u"ask "
                   u"an admin to revoke the token and create a new one"_s.arg(
                       from, unixMode(info.permissions()), printable(tokenFile));
        QFile file(tokenFile);
        if (!file.open(QIODevice::ReadOnly))
            return u"%1: cannot read it: %2"_s.arg(from, file.errorString());
        const QByteArray content = file.read(ApiTokens::maxTextLength * 4 + 1);
        if (content.size() > ApiTokens::maxTextLength * 4)
            return u"%1: too large to hold one token (a token is one line of 60 characters)"_s.arg(from);
        text = QString::fromUtf8(content).section(u'\n', 0, 0).trimmed();
    } else if (qEnvironmentVariableIsSet(tokenVariable)) {
        from = QString::fromLatin1(tokenVariable);
        text = qEnvironmentVariable(tokenVariable).trimmed();
        if (text.isEmpty())
            return {}; // set but empty: as if not set, as shells leave it
    } else {
        return {};
    }
    QString problem;
    if (!ApiTokens::parse(text, &problem))
        return u"%1: %2 (a token is abt_ followed by its id and secret, as antibodyctl token create printed it)"_s.arg(
            from, problem);
    connection.token = text;
    return {};
}

} // namespace antibody::ctl
