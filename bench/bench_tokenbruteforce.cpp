// team_token_bruteforce (issue 21, docs/team.md "Identities"): one antibody-server with
// `server.require_tokens: true` on its SQLite store, alice's token from `antibodyctl token
// create`, and an attacker on another thread sending 1,000 hellos with wrong tokens over
// TLS from 127.0.0.1, 32 connections at a time, as fast as the server answers. Alice
// connects from 127.0.0.1 too: the address the rate limit counts is hers as well.
//
// Her latency is measured before the attack and while it runs: a fresh connection's hello
// until its welcome (TLS already up), and `list incidents` on a connection she keeps open.
// The attacker's answers say which hellos the rate limit refused ("too many failed tokens
// from …") and which the store's verdict refused.
#include "bench/benchmark.h"
#include "bench/stacks.h"
#include "tests/server/testclient.h"
#include "tests/support/selfsignedcertificate.h"
#include "tests/support/serverprocess.h"

#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTextStream>
#include <QThread>
#include <QTimer>
#include <atomic>
#include <memory>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

constexpr int attempts = 1000;
constexpr int attackConnections = 32;
constexpr int listsPerRound = 4; // a fresh connection takes tens of ms, a list well under one

QSslConfiguration trusting(const QByteArray &certificatePem)
{
    QSslConfiguration tls = QSslConfiguration::defaultConfiguration();
    tls.setCaCertificates(QSslCertificate::fromData(certificatePem, QSsl::Pem));
    tls.setPeerVerifyMode(QSslSocket::VerifyPeer);
    return tls;
}

QJsonObject helloWith(const QString &token)
{
    return QJsonObject { { u"type"_s, u"hello"_s }, { u"protocol"_s, 1 }, { u"name"_s, u"alice"_s },
        { u"token"_s, token } };
}

// A wrong token: mostly well-formed (`abt_<12 hex>_<43 base64url>`, random), every tenth
// one malformed in one of the ways a parser has to survive, every twentieth alice's own id
// with a random secret (a guess at her secret: read by id, then compared).
struct WrongToken
{
    QString text;
    bool wellFormed = true;
};

QByteArray randomBytes(int n)
{
    QByteArray out(n, Qt::Uninitialized);
    for (char &c : out)
        c = char(QRandomGenerator::global()->bounded(256));
    return out;
}

WrongToken wrongToken(int i, const QString &aliceId)
{
    const QString secretText
        = QString::fromLatin1(randomBytes(32).toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals));
    if (i % 10 == 9) {
        const QString malformed[] = { u"hunter2"_s, u"abt_zz_x"_s, u"abt_0123456789ab_short"_s,
            u"abt_0123456789ab_"_s + secretText.left(42) + u'!', QString(300, u'a') };
        return { malformed[(i / 10) % 5], false };
    }
    if (i % 20 == 4)
        return { u"abt_"_s + aliceId + u'_' + secretText, true };
    return { u"abt_"_s + QString::fromLatin1(randomBytes(6).toHex()) + u'_' + secretText, true };
}

// What the attacker got back.
struct AttackResult
{
    int admitted = 0;
    int rateLimited = 0;
    int rateLimitedWellFormed = 0; // of those, well-formed tokens
    int lookedUp = 0; // refused by the store's verdict: unknown, or alice's id with a wrong secret
    int malformed = 0; // refused before any store read
    int unanswered = 0;
    double seconds = 0;
    QString example; // one reason of each kind, for stderr
};

// 1,000 hellos with wrong tokens, `attackConnections` at a time, on the thread it runs on.
class Attacker
{
public:
    Attacker(QString url, const QByteArray &certificatePem, const QString &aliceId)
        : m_url(std::move(url))
        , m_tls(trusting(certificatePem))
    {
        for (int i = 0; i < attempts; ++i)
            m_tokens << wrongToken(i, aliceId);
    }

    // Runs an event loop until every hello has its answer (or 120 s passed).
    void run()
    {
        QEventLoop loop;
        m_loop = &loop;
        const bench::SteadyClock::time_point start = bench::SteadyClock::now();
        for (int c = 0; c < attackConnections; ++c)
            next();
        QTimer::singleShot(120'000, &loop, &QEventLoop::quit);
        if (m_finished < attempts)
            loop.exec();
        result.seconds = bench::millisecondsBetween(start, bench::SteadyClock::now()) / 1000.0;
        result.unanswered += attempts - m_finished;
    }

    std::atomic<bool> done { false };
    AttackResult result;

private:
    void next()
    {
        if (m_started >= attempts)
            return;
        const WrongToken token = m_tokens.at(m_started++);
        auto *socket = new QWebSocket;
        socket->setSslConfiguration(m_tls);
        auto answered = std::make_shared<bool>(false);
        QObject::connect(socket, &QWebSocket::connected, socket, [socket, token] {
            socket->sendTextMessage(
                QString::fromUtf8(QJsonDocument(helloWith(token.text)).toJson(QJsonDocument::Compact)));
        });
        QObject::connect(
            socket, &QWebSocket::textMessageReceived, socket, [this, socket, token, answered](const QString &text) {
                if (*answered)
                    return;
                *answered = true;
                const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
                take(m, token.wellFormed);
                socket->close();
            });
        QObject::connect(socket, &QWebSocket::disconnected, socket, [this, socket, answered] {
            if (!*answered)
                ++result.unanswered;
            socket->deleteLater();
            if (++m_finished == attempts) {
                done = true;
                m_loop->quit();
            }
            next();
        });
        socket->open(QUrl(m_url));
    }

    void take(const QJsonObject &m, bool wellFormed)
    {
        const QString reason = m.value(u"reason"_s).toString();
        if (m.value(u"type"_s) == u"welcome"_s) {
            ++result.admitted;
        } else if (reason.startsWith(u"too many failed tokens from "_s)) {
            ++result.rateLimited;
            result.rateLimitedWellFormed += wellFormed ? 1 : 0;
        } else if (reason.contains(u"is not known here"_s)) {
            ++result.lookedUp;
        } else if (m.value(u"type"_s) == u"refused"_s && !wellFormed) {
            ++result.malformed;
        } else {
            ++result.unanswered;
            result.example
                += u"unexpected: "_s + QString::fromUtf8(QJsonDocument(m).toJson(QJsonDocument::Compact)) + u'\n';
        }
        const QString kind = reason.contains(u"is not known here"_s) ? u"unknown"_s : reason.left(12);
        if (!reason.isEmpty() && !m_kindsSeen.contains(kind)) { // one example of each kind
            m_kindsSeen << kind;
            result.example += reason + u'\n';
        }
    }

    QString m_url;
    QSslConfiguration m_tls;
    QList<WrongToken> m_tokens;
    QStringList m_kindsSeen;
    QEventLoop *m_loop = nullptr;
    int m_started = 0;
    int m_finished = 0;
};

// Alice's figures in one phase.
struct Latencies
{
    QList<double> helloMs; // a fresh connection: hello sent, until the welcome
    QList<double> connectMs; // its TLS connection, until connected
    QList<double> listMs; // `list incidents` on the open connection, until its reply
    int refused = 0;
    QString lastRefusal;
};

// The index of the first message of `client` from `from` on whose type is one of `types`; -1: none yet.
qsizetype firstOfType(const test::TestClient &client, qsizetype from, const QStringList &types)
{
    for (qsizetype k = from; k < client.messages.size(); ++k) {
        if (types.contains(client.messages.at(k).value(u"type"_s).toString()))
            return k;
    }
    return -1;
}

// A fresh connection with alice's token; false when it did not even connect.
bool freshConnection(const QString &url, const QByteArray &certificatePem, const QString &token, Latencies &into)
{
    test::TestClient c(certificatePem);
    const bench::SteadyClock::time_point opened = bench::SteadyClock::now();
    c.socket.open(QUrl(url));
    if (!bench::waitFor([&] { return c.socket.state() == QAbstractSocket::ConnectedState; }, 10'000))
        return false;
    const bench::SteadyClock::time_point sent = bench::SteadyClock::now();
    into.connectMs << bench::millisecondsBetween(opened, sent);
    c.send(helloWith(token));
    qsizetype answer = -1;
    (void)bench::waitFor(
        [&] {
            answer = firstOfType(c, 0, { u"welcome"_s, u"refused"_s });
            return answer >= 0 || c.socket.state() == QAbstractSocket::UnconnectedState;
        },
        10'000);
    if (answer < 0 || c.messages.at(answer).value(u"type"_s) != u"welcome"_s) {
        ++into.refused;
        into.lastRefusal = answer < 0 ? u"no answer"_s : c.messages.at(answer).value(u"reason"_s).toString();
    } else {
        into.helloMs << bench::millisecondsBetween(sent, c.arrivals.at(answer));
    }
    c.socket.close();
    return true;
}

bool listIncidents(test::TestClient &client, Latencies &into)
{
    static int requests = 0;
    const QString id = u"list-%1"_s.arg(++requests);
    const qsizetype from = client.messages.size();
    const bench::SteadyClock::time_point sent = bench::SteadyClock::now();
    client.send(QJsonObject { { u"type"_s, u"list"_s }, { u"request"_s, id }, { u"what"_s, u"incidents"_s } });
    qsizetype reply = -1;
    (void)bench::waitFor(
        [&] {
            for (qsizetype k = from; k < client.messages.size() && reply < 0; ++k) {
                if (client.messages.at(k).value(u"request"_s) == id)
                    reply = k;
            }
            return reply >= 0;
        },
        10'000);
    if (reply < 0 || !client.messages.at(reply).value(u"ok"_s).toBool())
        return false;
    into.listMs << bench::millisecondsBetween(sent, client.arrivals.at(reply));
    return true;
}

// One round of alice's: a fresh connection, then `listsPerRound` lists on the one she keeps.
bool aliceRound(
    const QString &url, const QByteArray &certificatePem, const QString &token, test::TestClient &kept, Latencies &into)
{
    if (!freshConnection(url, certificatePem, token, into))
        return false;
    for (int i = 0; i < listsPerRound; ++i) {
        if (!listIncidents(kept, into))
            return false;
    }
    return true;
}

void reportPhase(const QString &phase, const Latencies &l)
{
    const QString prefix = u"team_token_bruteforce_legit_"_s;
    for (const auto &[what, values] : { std::pair { u"hello"_s, &l.helloMs }, std::pair { u"list"_s, &l.listMs } }) {
        bench::report(prefix + what + u'_' + phase + u"_p50"_s, bench::percentile(*values, 0.5), u"ms"_s);
        bench::report(prefix + what + u'_' + phase + u"_p95"_s, bench::percentile(*values, 0.95), u"ms"_s);
        bench::report(prefix + what + u'_' + phase + u"_max"_s, bench::percentile(*values, 1.0), u"ms"_s);
    }
    bench::report(prefix + u"refused_"_s + phase, l.refused, u"hellos"_s);
    QTextStream(stderr) << "team_token_bruteforce: " << phase << ": " << l.helloMs.size() << " fresh connections ("
                        << l.refused << " refused), " << l.listMs.size() << " lists; TLS connect p50 "
                        << QString::number(bench::percentile(l.connectMs, 0.5), 'f', 1) << " ms, p95 "
                        << QString::number(bench::percentile(l.connectMs, 0.95), 'f', 1) << " ms"
                        << (l.lastRefusal.isEmpty() ? QString() : u"; refused: "_s + l.lastRefusal) << Qt::endl;
}

} // namespace

ANTIBODY_BENCHMARK(team_token_bruteforce)
{
    QTextStream err(stderr);
    const int baselineRounds = bench::scaled(200);
    test::SelfSignedCertificate certificate;
    QTemporaryDir dir;
    const QString config = dir.filePath(u"team.yaml"_s);
    const QString data = dir.filePath(u"data"_s);
    // An alert source nothing answers (port 9, discard): beside the point here.
    const QString text = u"sources:\n  alertmanager: { url: \"http://127.0.0.1:9\", poll_interval: 60s }\n"
                         "server:\n  listen: \"127.0.0.1:0\"\n  http_listen: \"127.0.0.1:0\"\n"
                         "  certificate: \"%1\"\n  private_key: \"%2\"\n  require_tokens: true\n"_s.arg(
                             certificate.certFile(), certificate.keyFile());
    if (!certificate.ok() || !dir.isValid() || !bench::writeFile(config, text.toUtf8())) {
        err << "team_token_bruteforce: no certificate, folder or configuration: " << certificate.error << '\n';
        return;
    }
    // Alice's token as an admin makes it: printed alone on stdout (stderr says for whom).
    const auto created = bench::runProgram(QStringLiteral(ANTIBODYCTL),
        { u"token"_s, u"create"_s, u"--config"_s, config, u"--data-dir"_s, data, u"--subject"_s, u"alice"_s });
    QString token;
    for (const QString &line : created.value_or(QString()).split(u'\n')) {
        if (line.startsWith(u"abt_"_s))
            token = line.trimmed();
    }
    if (token.isEmpty()) {
        err << "team_token_bruteforce: antibodyctl token create gave no token\n";
        return;
    }
    const QString aliceId = token.section(u'_', 1, 1);

    test::ServerProcess server;
    if (!bench::startServer(server, config, data, u"team_token_bruteforce"_s))
        return;
    test::TestClient kept(certificate.certPem);
    if (!kept.open(server.url)) {
        err << "team_token_bruteforce: alice's connection did not open\n" << server.log << '\n';
        return;
    }
    kept.send(helloWith(token));
    if (!bench::waitFor(
            [&] {
                return firstOfType(kept, 0, { u"welcome"_s, u"refused"_s }) >= 0;
            },
            10'000)
        || kept.ofType(u"welcome"_s).isEmpty()) {
        err << "team_token_bruteforce: alice's token was not admitted\n" << server.log << '\n';
        return;
    }

    // Before: alice alone.
    Latencies before;
    for (int i = 0; i < baselineRounds; ++i) {
        if (!aliceRound(server.url, certificate.certPem, token, kept, before))
            break;
    }

    // During: the attacker on a thread of its own, alice as before until it is done.
    Attacker attacker(server.url, certificate.certPem, aliceId);
    std::unique_ptr<QThread> thread(QThread::create([&attacker] { attacker.run(); }));
    thread->start();
    Latencies during;
    while (!attacker.done && thread->isRunning()) {
        if (!aliceRound(server.url, certificate.certPem, token, kept, during))
            break;
    }
    (void)bench::waitFor([&] { return thread->isFinished(); }, 130'000);
    thread->wait();

    // Right after: the window of the first failures has not passed.
    Latencies after;
    for (int i = 0; i < 20; ++i)
        (void)freshConnection(server.url, certificate.certPem, token, after);
    const bool stillOpen = kept.socket.state() == QAbstractSocket::ConnectedState;
    server.process.terminate();
    server.process.waitForFinished(20'000);

    const AttackResult &a = attacker.result;
    bench::report(u"team_token_bruteforce_attempts"_s, attempts, u"hellos"_s);
    bench::report(u"team_token_bruteforce_admitted"_s, a.admitted, u"hellos"_s);
    bench::report(u"team_token_bruteforce_refused_rate_limit"_s, a.rateLimited, u"hellos"_s);
    bench::report(u"team_token_bruteforce_refused_rate_limit_well_formed"_s, a.rateLimitedWellFormed, u"hellos"_s);
    bench::report(u"team_token_bruteforce_refused_store_verdict"_s, a.lookedUp, u"hellos"_s);
    bench::report(u"team_token_bruteforce_refused_malformed"_s, a.malformed, u"hellos"_s);
    bench::report(u"team_token_bruteforce_unanswered"_s, a.unanswered, u"hellos"_s);
    bench::report(u"team_token_bruteforce_attack_rate"_s, a.seconds > 0 ? attempts / a.seconds : 0, u"hellos/s"_s);
    reportPhase(u"before"_s, before);
    reportPhase(u"during"_s, during);
    bench::report(u"team_token_bruteforce_legit_refused_after"_s, after.refused, u"of 20 hellos"_s);
    err << "team_token_bruteforce: the attack took " << QString::number(a.seconds, 'f', 2)
        << " s; alice's open connection " << (stillOpen ? "stayed open" : "was CLOSED") << "; reasons seen:\n"
        << a.example;
}
