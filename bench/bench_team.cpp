// The team engine against real processes (issue 20), `scripts/bench team`:
//
// team_realstack: one antibody-server (its SQLite store) on the real stack, Alertmanager's
// webhook pointed at it through a TCP relay, a WebSocket client over TLS as a console.
// Each round fills the pool; the figures are from the first bytes of Alertmanager's
// POST at the relay to the proposal at the client (target: under 1 s), and from the
// client sending `approve` with the fingerprint to the first pass started on its event
// stream (target: under 500 ms).
//
// team_failover: two antibody-servers on one PostgreSQL (scripts/teamdb); the leader is
// killed with SIGKILL, and the figure is the time until the standby's /metrics says
// antibody_server_leader 1 (target: a median of five under 15 s). The killed one comes
// back as the new standby before the next kill.
#include "bench/benchmark.h"
#include "bench/stacks.h"
#include "tests/server/testclient.h"
#include "tests/support/selfsignedcertificate.h"
#include "tests/support/serverprocess.h"
#include "tests/support/tcpproxy.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTextStream>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

// What Alertmanager posted through the relay: when each request's first bytes came, and its bytes.
struct Posts
{
    struct Post
    {
        bench::SteadyClock::time_point at;
        QByteArray bytes;
    };
    QList<Post> posts;

    void take(const QByteArray &chunk)
    {
        if (chunk.startsWith("POST ") || posts.isEmpty())
            posts << Post { bench::SteadyClock::now(), chunk };
        else
            posts.last().bytes += chunk;
    }
    // The first notification of a firing alert (a resolved one says only "resolved").
    std::optional<bench::SteadyClock::time_point> firstFiring() const
    {
        for (const Post &p : posts) {
            if (p.bytes.contains(R"("status":"firing")"))
                return p.at;
        }
        return std::nullopt;
    }
};

// The index of the first message from `from` on that `match` accepts; -1: none yet.
qsizetype firstMessage(
    const test::TestClient &client, qsizetype from, const std::function<bool(const QJsonObject &)> &match)
{
    for (qsizetype k = from; k < client.messages.size(); ++k) {
        if (match(client.messages.at(k)))
            return k;
    }
    return -1;
}

bool isEvent(const QJsonObject &m, const QString &kind, const QString &incident)
{
    return m.value(u"type"_s) == u"event"_s && m.value(u"kind"_s) == kind && m.value(u"incident"_s) == incident;
}

struct Round
{
    std::optional<double> webhookToProposalMs; // none when a poll found the alert before the push
    double approveToFirstPassMs = 0;
};

// One incident on the real stack, from the pool filled to the pool released and its alert gone.
std::optional<Round> oneRound(
    const bench::ScriptedStack &stack, test::TestClient &client, Posts &posts, int round, const QString &log)
{
    QTextStream err(stderr);
    const auto fail = [&](const QString &what) {
        err << "team_realstack: round " << round << ": " << what << "\nthe server's log, its end:\n"
            << log.right(4000) << '\n';
        return std::nullopt;
    };
    posts.posts.clear();
    const qsizetype from = client.messages.size();
    if (!stack.run({ u"exhaust"_s }))
        return fail(u"scripts/realstack exhaust failed"_s);

    // The plan waiting for a person, as a console receives it.
    qsizetype shown = -1;
    if (!bench::waitFor(
            [&] {
                shown = firstMessage(client, from, [](const QJsonObject &m) {
                    const QJsonObject p = m.value(u"proposal"_s).toObject();
                    return m.value(u"type"_s) == u"proposal"_s && p.value(u"state"_s) == u"pending"_s
                        && p.value(u"mode"_s) == u"approve"_s;
                });
                return shown >= 0;
            },
            60'000))
        return fail(u"no proposal waiting for approval within 60 s of the pool filling"_s);
    const QJsonObject proposal = client.messages.at(shown).value(u"proposal"_s).toObject();
    const QString incident = proposal.value(u"incident"_s).toString();
    Round r;
    if (const auto sent = posts.firstFiring(); sent && *sent <= client.arrivals.at(shown))
        r.webhookToProposalMs = bench::millisecondsBetween(*sent, client.arrivals.at(shown));

    // Approve exactly that plan; the first pass of its changing step starts.
    const qsizetype before = client.messages.size();
    const QString request = u"approve-%1"_s.arg(round);
    const bench::SteadyClock::time_point approvedAt = bench::SteadyClock::now();
    client.send(QJsonObject { { u"type"_s, u"approve"_s }, { u"request"_s, request },
        { u"proposal"_s, proposal.value(u"id"_s) }, { u"fingerprint"_s, proposal.value(u"fingerprint"_s) } });
    qsizetype pass = -1;
    qsizetype refused = -1;
    (void)bench::waitFor(
        [&] {
            pass = firstMessage(client, before, [&](const QJsonObject &m) {
                return isEvent(m, u"step_started"_s, incident) && m.value(u"data"_s).toObject().contains(u"pass"_s);
            });
            refused = firstMessage(client, before, [&](const QJsonObject &m) {
                return m.value(u"type"_s) == u"reply"_s && m.value(u"request"_s) == request
                    && !m.value(u"ok"_s).toBool();
            });
            return pass >= 0 || refused >= 0;
        },
        30'000);
    if (refused >= 0)
        return fail(u"the approval was refused: "_s + client.messages.at(refused).value(u"reason"_s).toString());
    if (pass < 0)
        return fail(u"no pass started within 30 s of the approval"_s);
    r.approveToFirstPassMs = bench::millisecondsBetween(approvedAt, client.arrivals.at(pass));

    // The remediation ends; the pool is released and its alert is gone before the next round.
    if (!bench::waitFor(
            [&] {
                return firstMessage(client, pass, [&](const QJsonObject &m) {
                    return isEvent(m, u"resolved"_s, incident) || isEvent(m, u"escalated"_s, incident);
                }) >= 0;
            },
            120'000))
        return fail(u"the incident did not end within 2 minutes of the approval"_s);
    stack.run({ u"release"_s });
    if (!bench::pollUntil([] { return !bench::realstack::poolAlertActive(); }, 200, 60'000))
        return fail(u"the pool alert does not resolve"_s);
    (void)bench::waitFor([] { return false; }, 3'000); // Alertmanager's "resolved" goes out before the next round
    return r;
}

} // namespace

ANTIBODY_BENCHMARK(team_realstack)
{
    QTextStream err(stderr);
    const int rounds = bench::quick() ? 2 : 10;
    bench::realstack::usePortsOfItsOwn();
    const bench::ScriptedStack stack(u"realstack"_s, u"team_realstack"_s, bench::realstack::missingPackages());
    if (!stack.ok())
        return;
    test::SelfSignedCertificate certificate;
    QTemporaryDir dir;
    // The shipped pool runbook at the stack's pace, opened by the alert Alertmanager pushes,
    // with a cooldown of 1 s: each round's incident is proposed at once instead of waiting
    // out the 3 minutes after the round before.
    const QString runbooks = dir.filePath(u"runbooks"_s);
    const auto written = stack.run({ u"runbook"_s, runbooks, u"--alert"_s, u"--cooldown"_s, u"1s"_s });
    const auto stackConfig = stack.run({ u"config"_s, u"--runbooks"_s, runbooks });
    if (!certificate.ok() || !dir.isValid() || !written || !stackConfig) {
        err << "team_realstack: no certificate, folder, runbook or configuration: " << certificate.error << '\n';
        return;
    }
    const QString config = dir.filePath(u"team.yaml"_s);
    // Alertmanager pushes; the poll every minute only resyncs, so that the push is what is timed.
    QString text = *stackConfig;
    text.replace(u"poll_interval: 1s"_s, u"poll_interval: 60s"_s);
    text += u"server:\n  listen: \"127.0.0.1:0\"\n  http_listen: \"127.0.0.1:0\"\n"
            "  certificate: \"%1\"\n  private_key: \"%2\"\n  heartbeat: 2s\n"_s.arg(
                certificate.certFile(), certificate.keyFile());
    if (!bench::writeFile(config, text.toUtf8())) {
        err << "team_realstack: cannot write " << config << '\n';
        return;
    }

    test::ServerProcess server;
    if (!bench::startServer(server, config, dir.filePath(u"data"_s), u"team_realstack"_s))
        return;
    Posts posts;
    test::TcpProxy relay(quint16(server.httpPort));
    relay.setObserver([&posts](const QByteArray &bytes) { posts.take(bytes); });
    test::TestClient client(certificate.certPem);
    if (!relay.listen() || !stack.run({ u"webhook"_s, u"http://127.0.0.1:%1/v1/alertmanager"_s.arg(relay.port()) })
        || !client.open(server.url)) {
        err << "team_realstack: the relay, the webhook or the client did not start\n" << server.log << '\n';
        stack.run({ u"webhook"_s, u"none"_s });
        return;
    }
    client.hello(u"bench"_s);

    QList<double> webhookToProposal, approveToFirstPass;
    int polledFirst = 0;
    stack.run({ u"release"_s });
    for (int i = 1; i <= rounds; ++i) {
        const auto r = oneRound(stack, client, posts, i, server.log);
        if (!r)
            break;
        err << "team_realstack: round " << i << ": webhook to proposal "
            << (r->webhookToProposalMs ? QString::number(*r->webhookToProposalMs, 'f', 1) + u" ms"_s
                                       : u"(a poll found it first)"_s)
            << ", approve to first pass " << QString::number(r->approveToFirstPassMs, 'f', 1) << " ms" << Qt::endl;
        if (r->webhookToProposalMs)
            webhookToProposal << *r->webhookToProposalMs;
        else
            ++polledFirst;
        approveToFirstPass << r->approveToFirstPassMs;
    }
    stack.run({ u"webhook"_s, u"none"_s });
    stack.run({ u"release"_s });
    server.process.terminate();
    server.process.waitForFinished(30'000);

    if (!approveToFirstPass.isEmpty()) {
        bench::report(u"team_approve_to_first_pass_rounds"_s, double(approveToFirstPass.size()), u"rounds"_s);
        bench::reportAgainst(
            u"team_approve_to_first_pass_p50"_s, bench::percentile(approveToFirstPass, 0.5), u"ms"_s, 500);
        bench::reportAgainst(
            u"team_approve_to_first_pass_p95"_s, bench::percentile(approveToFirstPass, 0.95), u"ms"_s, 500);
    }
    if (!webhookToProposal.isEmpty()) {
        bench::reportAgainst(
            u"team_webhook_to_proposal_p50"_s, bench::percentile(webhookToProposal, 0.5), u"ms"_s, 1000);
        bench::reportAgainst(
            u"team_webhook_to_proposal_max"_s, bench::percentile(webhookToProposal, 1.0), u"ms"_s, 1000);
    }
    if (polledFirst > 0)
        err << "team_realstack: in " << polledFirst << " rounds the poll found the alert before the webhook\n";
}

ANTIBODY_BENCHMARK(team_failover)
{
    QTextStream err(stderr);
    const int kills = bench::quick() ? 1 : 5;
    QStringList missing;
    for (const QString &program : { u"initdb"_s, u"pg_ctl"_s, u"pg_isready"_s }) {
        if (!QFile::exists(u"/usr/lib/postgresql/15/bin/"_s + program))
            missing << u"/usr/lib/postgresql/15/bin/"_s + program;
    }
    // A cluster of its own: the test clusters take 17000-17899.
    if (qEnvironmentVariableIntValue("TEAMDB_PORT") <= 0)
        qputenv("TEAMDB_PORT", "17950");
    const bench::ScriptedStack teamdb(u"teamdb"_s, u"team_failover"_s, missing);
    if (!teamdb.ok())
        return;
    const auto dsn = teamdb.run({ u"dsn"_s });
    test::SelfSignedCertificate certificate;
    QTemporaryDir dir;
    const QString config = dir.filePath(u"team.yaml"_s);
    if (!dsn || !certificate.ok()
        || !bench::writeFile(
            config, test::replicaConfiguration(certificate.certFile(), certificate.keyFile(), dsn->trimmed()))) {
        err << "team_failover: no database address, certificate or configuration: " << certificate.error << '\n';
        return;
    }

    // Two replicas; `leader` indexes the one that leads.
    test::ServerProcess replicas[2];
    const QString dataDirs[2] = { dir.filePath(u"a"_s), dir.filePath(u"b"_s) };
    const auto leads = [](const test::ServerProcess &s, qint64 want) {
        return bench::pollUntil([&] { return s.gauge("antibody_server_leader") == want; }, 50, 30'000);
    };
    if (!bench::startServer(replicas[0], config, dataDirs[0], u"team_failover"_s) || !leads(replicas[0], 1)
        || !bench::startServer(replicas[1], config, dataDirs[1], u"team_failover"_s) || !leads(replicas[1], 0)) {
        err << "team_failover: the two servers did not settle as leader and standby\n"
            << replicas[0].log << replicas[1].log << '\n';
        return;
    }
    int leader = 0;
    QList<double> takeovers;
    for (int i = 1; i <= kills; ++i) {
        const int killed = leader;
        leader = 1 - killed;
        replicas[killed].process.kill(); // SIGKILL: no step-down, the lease has to expire
        const bench::SteadyClock::time_point killedAt = bench::SteadyClock::now();
        replicas[killed].process.waitForFinished(5'000);
        if (!leads(replicas[leader], 1)) {
            err << "team_failover: kill " << i << ": the standby did not take over within 30 s\n"
                << replicas[leader].log.right(4000) << '\n';
            break;
        }
        takeovers << bench::millisecondsBetween(killedAt, bench::SteadyClock::now()) / 1000.0;
        err << "team_failover: kill " << i << ": the standby led after " << QString::number(takeovers.last(), 'f', 2)
            << " s" << Qt::endl;
        if (!bench::startServer(replicas[killed], config, dataDirs[killed], u"team_failover"_s)
            || !leads(replicas[killed], 0)) {
            err << "team_failover: the killed server did not come back as the standby\n"
                << replicas[killed].log << '\n';
            break;
        }
    }
    for (test::ServerProcess &s : replicas) {
        s.process.terminate();
        s.process.waitForFinished(20'000);
    }
    if (takeovers.isEmpty())
        return;
    bench::report(u"team_failover_kills"_s, double(takeovers.size()), u"kills"_s);
    bench::reportAgainst(u"team_failover_takeover_median"_s, bench::percentile(takeovers, 0.5), u"s"_s, 15);
    bench::report(u"team_failover_takeover_max"_s, bench::percentile(takeovers, 1.0), u"s"_s);
}
