#include "connectors/http/httpclient.h"
#include "connectors/http/redaction.h"
#include "connectors/http/retrypolicy.h"
#include "testhttpserver.h"
#include "tests/support/selfsignedcertificate.h"

#include <QElapsedTimer>
#include <QProcess>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslKey>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <optional>

using namespace Qt::StringLiterals;
using namespace antibody;
using antibody::test::SelfSignedCertificate;
using antibody::test::TestHttpServer;
using antibody::test::TestReply;
using antibody::test::TestRequest;

namespace {

// Collects one asynchronous response and where it arrived.
struct Outcome
{
    std::optional<HttpResponse> response;
    QThread *thread = nullptr;
};

HttpOptions fastOptions()
{
    HttpOptions o;
    o.connectTimeout = Duration { 1'000 };
    o.totalTimeout = Duration { 2'000 };
    o.retryBase = Duration { 5 };
    o.retryMax = Duration { 20 };
    o.configKey = u"sources.test"_s;
    return o;
}

// Log lines, for the test that secrets never reach them.
QStringList *g_messages = nullptr;
void collectMessage(QtMsgType, const QMessageLogContext &, const QString &message)
{
    if (g_messages)
        g_messages->append(message);
}

} // namespace

class TestHttp : public QObject
{
    Q_OBJECT

    HttpResponse fetch(HttpClient &client, HttpRequest request, Outcome *outcome = nullptr)
    {
        Outcome local;
        Outcome &o = outcome ? *outcome : local;
        bool returned = false;
        client.send(std::move(request), [&](HttpResponse r) {
            o.response = std::move(r);
            o.thread = QThread::currentThread();
            // The port contract: never inside the call that asked.
            if (!returned)
                qFatal("callback ran inside send()");
        });
        returned = true;
        [&] { QTRY_VERIFY_WITH_TIMEOUT(o.response.has_value(), 15'000); }();
        return o.response.value_or(HttpResponse {});
    }

private Q_SLOTS:
    void getReturnsBodyOnCallersThread()
    {
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const TestRequest &) { return TestReply { 200, R"({"status":"success"})" }; });
        QObject context;
        HttpClient client(&context, fastOptions(), u"test-http"_s);
        Outcome outcome;
        const HttpResponse r = fetch(client, HttpRequest::get(server.url(u"/api/v1/query?query=up"_s)), &outcome);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.status, 200);
        QCOMPARE(r.body, QByteArray(R"({"status":"success"})"));
        QCOMPARE(r.contentType, QByteArray("application/json"));
        QCOMPARE(outcome.thread, QThread::currentThread());
        QCOMPARE(server.requests().value(0).queryItem(u"query"_s), u"up"_s);
        QVERIFY(server.requests().value(0).header("user-agent").startsWith("antibody/"));
    }

    void jobsRunOnNamedWorker()
    {
        QObject context;
        HttpClient client(&context, fastOptions(), u"prometheus"_s);
        std::optional<QString> workerName;
        bool returned = false;
        client.run<QString>([](const Cancellation &) { return QThread::currentThread()->objectName(); },
            [&](QString name) {
                QVERIFY(returned);
                workerName = name;
            });
        returned = true;
        QTRY_VERIFY(workerName.has_value());
        QCOMPARE(*workerName, u"prometheus"_s);
    }

    void retries_data()
    {
        QTest::addColumn<QString>("method");
        QTest::addColumn<QList<int>>("statuses"); // what the server answers, in turn
        QTest::addColumn<int>("attempts");
        QTest::addColumn<int>("finalStatus");
        QTest::addRow("GET 503 then 200") << u"GET"_s << QList<int> { 503, 200 } << 2 << 200;
        QTest::addRow("GET 500, 502, 504: gives up after 3")
            << u"GET"_s << QList<int> { 500, 502, 504, 200 } << 3 << 504;
        QTest::addRow("GET 429 then 200") << u"GET"_s << QList<int> { 429, 200 } << 2 << 200;
        QTest::addRow("GET 404 is final") << u"GET"_s << QList<int> { 404, 200 } << 1 << 404;
        QTest::addRow("GET 400 is final") << u"GET"_s << QList<int> { 400, 200 } << 1 << 400;
        QTest::addRow("POST 503 is not retried") << u"POST"_s << QList<int> { 503, 200 } << 1 << 503;
        QTest::addRow("PUT 503 then 200") << u"PUT"_s << QList<int> { 503, 200 } << 2 << 200;
    }
    void retries()
    {
        QFETCH(QString, method);
        QFETCH(QList<int>, statuses);
        QFETCH(int, attempts);
        QFETCH(int, finalStatus);
        TestHttpServer server;
        QVERIFY(server.listen());
        int served = 0;
        server.setHandler([&](const TestRequest &) {
            const int status = statuses.value(served++, 200);
            TestReply reply { status, "{}" };
            if (status == 429)
                reply.header("Retry-After", "0");
            return reply;
        });
        QObject context;
        HttpClient client(&context, fastOptions(), u"test-http"_s);
        HttpRequest request = method == u"POST"_s ? HttpRequest::postJson(server.url(u"/x"_s), "{}")
                                                  : HttpRequest::get(server.url(u"/x"_s));
        if (method == u"PUT"_s)
            request.method = HttpRequest::Method::Put;
        const HttpResponse r = fetch(client, request);
        QCOMPARE(r.attempts, attempts);
        QCOMPARE(r.status, finalStatus);
        QCOMPARE(server.requestCount(), attempts);
        QCOMPARE(server.requests().value(0).method, method.toLatin1());
    }

    void postRetriedOnlyWhenNothingWasSent()
    {
        // Nothing listens on this port: the connection is refused before a byte is sent,
        // so even a non-idempotent POST may be tried again.
        TestHttpServer probe;
        QVERIFY(probe.listen());
        const QUrl url = probe.url(u"/hook"_s);
        probe.close();
        QObject context;
        HttpClient client(&context, fastOptions(), u"test-http"_s);
        const HttpResponse r = fetch(client, HttpRequest::postJson(url, "{}"));
        QCOMPARE(r.failure, HttpResponse::Failure::Connect);
        QVERIFY(r.sentNothing);
        QCOMPARE(r.attempts, 3);
        QVERIFY2(r.error.startsWith(u"POST "_s + url.toString()), qPrintable(r.error));
        QVERIFY2(r.error.contains(u"sources.test.url"_s), qPrintable(r.error));
    }

    void backoff_data()
    {
        QTest::addColumn<int>("attempt");
        QTest::addColumn<double>("random");
        QTest::addColumn<int>("retryAfterMs"); // -1: none
        QTest::addColumn<int>("expectedMs");
        // base 200 ms, cap 2 s: attempt n waits between half and all of min(200 * 2^(n-1), 2000)
        QTest::addRow("first, least jitter") << 1 << 0.0 << -1 << 100;
        QTest::addRow("first, most jitter") << 1 << 1.0 << -1 << 200;
        QTest::addRow("second, middle") << 2 << 0.5 << -1 << 300;
        QTest::addRow("fifth is capped") << 5 << 1.0 << -1 << 2000;
        QTest::addRow("twentieth is capped, low") << 20 << 0.0 << -1 << 1000;
        QTest::addRow("Retry-After longer wins") << 1 << 0.0 << 1500 << 1500;
        QTest::addRow("Retry-After is capped") << 1 << 0.0 << 60000 << 2000;
        QTest::addRow("Retry-After shorter loses") << 3 << 1.0 << 10 << 800;
    }
    void backoff()
    {
        QFETCH(int, attempt);
        QFETCH(double, random);
        QFETCH(int, retryAfterMs);
        QFETCH(int, expectedMs);
        HttpOptions o;
        o.retryBase = Duration { 200 };
        o.retryMax = Duration { 2'000 };
        const RetryPolicy policy(o);
        std::optional<Duration> retryAfter;
        if (retryAfterMs >= 0)
            retryAfter = Duration { retryAfterMs };
        QCOMPARE(policy.delay(attempt, random, retryAfter).count(), expectedMs);
    }

    void responseCap_data()
    {
        QTest::addColumn<bool>("withLength");
        QTest::addRow("Content-Length announced") << true;
        QTest::addRow("length unknown (read until close)") << false;
    }
    void responseCap()
    {
        QFETCH(bool, withLength);
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([&](const TestRequest &) {
            TestReply reply { 200, QByteArray(300 * 1024, 'x') };
            reply.noLength = !withLength;
            return reply;
        });
        QObject context;
        HttpOptions o = fastOptions();
        o.maxResponseBytes = 100 * 1024;
        HttpClient client(&context, o, u"test-http"_s);
        const HttpResponse r = fetch(client, HttpRequest::get(server.url(u"/big"_s)));
        QCOMPARE(r.failure, HttpResponse::Failure::TooLarge);
        QVERIFY(r.body.isEmpty());
        QCOMPARE(r.attempts, 1); // as large again next time: no retry
        QVERIFY2(r.error.contains(u"sources.test.max_response_bytes"_s), qPrintable(r.error));
    }

    void totalTimeout()
    {
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const TestRequest &) {
            TestReply reply { 200, "{}" };
            reply.delayMs = 5'000;
            return reply;
        });
        QObject context;
        HttpOptions o = fastOptions();
        o.totalTimeout = Duration { 300 };
        o.maxAttempts = 1;
        HttpClient client(&context, o, u"test-http"_s);
        QElapsedTimer timer;
        timer.start();
        const HttpResponse r = fetch(client, HttpRequest::get(server.url(u"/slow"_s)));
        QCOMPARE(r.failure, HttpResponse::Failure::Timeout);
        QVERIFY2(timer.elapsed() < 4'000, "the timeout did not cut the request short");
        QVERIFY2(r.error.contains(u"300ms"_s) && r.error.contains(u"sources.test.timeout"_s), qPrintable(r.error));
    }

    void brokenTransfer()
    {
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const TestRequest &) {
            TestReply reply { 200, R"({"status":"success","data":{"result":[]}})" };
            reply.truncateAt = 10;
            return reply;
        });
        QObject context;
        HttpOptions o = fastOptions();
        o.maxAttempts = 2;
        HttpClient client(&context, o, u"test-http"_s);
        const HttpResponse r = fetch(client, HttpRequest::get(server.url(u"/cut"_s)));
        QCOMPARE(r.failure, HttpResponse::Failure::Transfer);
        QCOMPARE(r.attempts, 2);
        QVERIFY(r.body.isEmpty());
    }

    void onlyHttpAndHttps_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addRow("file") << u"file:///etc/passwd"_s;
        QTest::addRow("ftp") << u"ftp://127.0.0.1/x"_s;
        QTest::addRow("gopher") << u"gopher://127.0.0.1/x"_s;
        QTest::addRow("redirect to file") << u"redirect:file:///etc/passwd"_s;
        QTest::addRow("redirect loop") << u"redirect:self"_s;
    }
    void onlyHttpAndHttps()
    {
        QFETCH(QString, url);
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([&](const TestRequest &) {
            TestReply reply { 302, {} };
            const QString to = url == u"redirect:self"_s ? server.url(u"/loop"_s).toString() : url.mid(9);
            reply.header("Location", to.toUtf8());
            return reply;
        });
        QObject context;
        HttpClient client(&context, fastOptions(), u"test-http"_s);
        const QUrl target = url.startsWith(u"redirect:"_s) ? server.url(u"/loop"_s) : QUrl(url);
        const HttpResponse r = fetch(client, HttpRequest::get(target));
        QCOMPARE(r.failure, HttpResponse::Failure::Refused);
        QVERIFY(!r.error.isEmpty());
        QVERIFY(server.requestCount() <= 4); // at most 1 + maxRedirects (3)
    }

    void credentials_data()
    {
        QTest::addColumn<int>("kind");
        QTest::addColumn<QByteArray>("expected");
        QTest::addRow("bearer") << int(HttpAuth::Kind::Bearer) << QByteArray("Bearer t0ken-value");
        QTest::addRow("basic") << int(HttpAuth::Kind::Basic)
                               << QByteArray("Basic " + QByteArray("ops:t0ken-value").toBase64());
    }
    void credentials()
    {
        QFETCH(int, kind);
        QFETCH(QByteArray, expected);
        TestHttpServer other;
        QVERIFY(other.listen());
        other.setHandler([](const TestRequest &) { return TestReply { 200, "{}" }; });
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([&](const TestRequest &request) {
            if (request.path == "/redirect") {
                // Another host name: credentials must not follow.
                TestReply reply { 302, {} };
                reply.header("Location", "http://localhost:" + QByteArray::number(other.port()) + "/landed");
                return reply;
            }
            return TestReply { 200, "{}" };
        });
        QObject context;
        HttpOptions o = fastOptions();
        o.auth.kind = static_cast<HttpAuth::Kind>(kind);
        o.auth.username = u"ops"_s;
        o.auth.secret = Secret("t0ken-value");
        HttpClient client(&context, o, u"test-http"_s);
        QVERIFY(fetch(client, HttpRequest::get(server.url(u"/direct"_s))).ok());
        QCOMPARE(server.requests().value(0).header("authorization"), expected);
        QVERIFY(fetch(client, HttpRequest::get(server.url(u"/redirect"_s))).ok());
        QCOMPARE(other.requestCount(), 1);
        QVERIFY(other.requests().value(0).header("authorization").isEmpty());
    }

    void traceNeverShowsSecrets()
    {
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const TestRequest &) {
            TestReply reply { 200, "{}" };
            reply.header("Set-Cookie", "session=c00kie-value");
            return reply;
        });
        QObject context;
        HttpOptions o = fastOptions();
        o.trace = true;
        o.auth.kind = HttpAuth::Kind::Bearer;
        o.auth.secret = Secret("t0ken-value");
        HttpClient client(&context, o, u"test-http"_s);
        QStringList messages;
        g_messages = &messages;
        const QtMessageHandler previous = qInstallMessageHandler(collectMessage);
        const HttpResponse r = fetch(client, HttpRequest::get(server.url(u"/traced"_s)));
        qInstallMessageHandler(previous);
        g_messages = nullptr;
        QVERIFY(r.ok());
        const QString all = messages.join(u'\n');
        QVERIFY2(all.contains(u"GET /traced"_s), "the trace shows the request");
        QVERIFY2(all.contains(u"Authorization: [redacted]"_s), qPrintable(all));
        QVERIFY2(!all.contains(u"t0ken-value"_s), "the token leaked into the trace");
        QVERIFY2(!all.contains(u"c00kie-value"_s), "a cookie leaked into the trace");
    }

    // Review finding 15a: a webhook whose path is its secret (hideUrlPath) keeps that
    // path out of the trace's request line too.
    void traceHidesASecretPath()
    {
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const TestRequest &) { return TestReply { 200, "{}" }; });
        QObject context;
        HttpOptions o = fastOptions();
        o.trace = true;
        o.hideUrlPath = true;
        HttpClient client(&context, o, u"test-http"_s);
        QStringList messages;
        g_messages = &messages;
        const QtMessageHandler previous = qInstallMessageHandler(collectMessage);
        const HttpResponse r = fetch(client, HttpRequest::postJson(server.url(u"/hooks/T000/B000/s3cretPath"_s), "{}"));
        qInstallMessageHandler(previous);
        g_messages = nullptr;
        QVERIFY(r.ok());
        const QString all = messages.join(u'\n');
        QVERIFY2(all.contains(u"POST [path hidden]"_s), qPrintable(all));
        QVERIFY2(!all.contains(u"s3cretPath"_s), qPrintable(all));
    }

    // Review finding 15e: the start of an error body goes into the error message, and a
    // server that echoes a credential does not put it there.
    void errorBodiesAreRedacted()
    {
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const TestRequest &) {
            return TestReply { 400,
                R"({"message":"invalid request","echo":"password=hunter2 Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.abc"})" };
        });
        QObject context;
        HttpClient client(&context, fastOptions(), u"test-http"_s);
        const HttpResponse r = fetch(client, HttpRequest::get(server.url(u"/x"_s)));
        const QString problem = HttpClient::statusProblem(r, u"sinks.pager"_s);
        QVERIFY2(problem.contains(u"invalid request"_s), qPrintable(problem));
        QVERIFY2(!problem.contains(u"hunter2"_s) && !problem.contains(u"c2VjcmV0"_s), qPrintable(problem));
    }

    void redactsUrls_data()
    {
        QTest::addColumn<QString>("url");
        QTest::addColumn<QString>("shown");
        QTest::addRow("plain") << u"http://127.0.0.1:19090/api/v1/query"_s << u"http://127.0.0.1:19090/api/v1/query"_s;
        QTest::addRow("user info") << u"https://ops:hunter2@prom.example/api"_s << u"https://prom.example/api"_s;
        QTest::addRow("query") << u"https://hooks.example/x?token=abc"_s << u"https://hooks.example/x?..."_s;
        QTest::addRow("fragment") << u"http://h/p#frag"_s << u"http://h/p"_s;
        QTest::addRow("invalid") << u"http://[::1"_s << u"(invalid URL)"_s;
    }
    void redactsUrls()
    {
        QFETCH(QString, url);
        QFETCH(QString, shown);
        QCOMPARE(redactedUrl(QUrl(url)), shown);
    }

    void redactsHeaders_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QByteArray>("shown");
        QTest::addRow("authorization") << QByteArray("Authorization: Bearer abc")
                                       << QByteArray("Authorization: [redacted]");
        QTest::addRow("case") << QByteArray("authorization: Basic abc") << QByteArray("authorization: [redacted]");
        QTest::addRow("proxy") << QByteArray("Proxy-Authorization: x") << QByteArray("Proxy-Authorization: [redacted]");
        QTest::addRow("cookie") << QByteArray("Cookie: a=b") << QByteArray("Cookie: [redacted]");
        QTest::addRow("custom token") << QByteArray("X-Vault-Token: s") << QByteArray("X-Vault-Token: [redacted]");
        QTest::addRow("set-cookie") << QByteArray("Set-Cookie: id=1\r\n") << QByteArray("Set-Cookie: [redacted]\r\n");
        QTest::addRow("api key") << QByteArray("X-Api-Key: k") << QByteArray("X-Api-Key: [redacted]");
        QTest::addRow("routing key") << QByteArray("X-Routing-Key: k") << QByteArray("X-Routing-Key: [redacted]");
        // Names the store's list has and the trace's own list had not.
        QTest::addRow("signature") << QByteArray("X-Hub-Signature-256: sha256=abc")
                                   << QByteArray("X-Hub-Signature-256: [redacted]");
        QTest::addRow("session") << QByteArray("X-Session-Id: s") << QByteArray("X-Session-Id: [redacted]");
        QTest::addRow("harmless") << QByteArray("Accept: application/json") << QByteArray("Accept: application/json");
        QTest::addRow("request line") << QByteArray("GET /x HTTP/1.1") << QByteArray("GET /x HTTP/1.1");
    }
    void redactsHeaders()
    {
        QFETCH(QByteArray, line);
        QFETCH(QByteArray, shown);
        QCOMPARE(redactedHeaderLine(line), shown);
    }

    void tls()
    {
        const SelfSignedCertificate made;
        QVERIFY2(made.ok(), qPrintable(made.error));
        const QString cert = made.certFile();
        const QByteArray certPem = made.certPem;
        TestHttpServer server;
        QVERIFY(server.listenTls(QSslCertificate(certPem), QSslKey(made.keyPem, QSsl::Rsa)));
        server.setHandler([](const TestRequest &) { return TestReply { 200, "{}" }; });
        const QUrl url = server.url(u"/secure"_s);
        QCOMPARE(url.scheme(), u"https"_s);

        QObject context;
        {
            HttpClient verifying(&context, fastOptions(), u"tls"_s);
            const HttpResponse r = fetch(verifying, HttpRequest::get(url));
            QCOMPARE(r.failure, HttpResponse::Failure::Tls);
            QCOMPARE(r.attempts, 1);
            QVERIFY2(r.error.contains(u"sources.test.tls.ca_file"_s), qPrintable(r.error));
            QVERIFY(verifying.insecureWarning(url.toString()).isEmpty());
        }
        {
            HttpOptions o = fastOptions();
            o.tls.caFile = cert;
            HttpClient trusting(&context, o, u"tls"_s);
            const HttpResponse r = fetch(trusting, HttpRequest::get(url));
            QVERIFY2(r.ok(), qPrintable(r.error));
        }
        {
            HttpOptions o = fastOptions();
            o.tls.caPem = certPem;
            HttpClient trusting(&context, o, u"tls"_s);
            QVERIFY(fetch(trusting, HttpRequest::get(url)).ok());
        }
        {
            HttpOptions o = fastOptions();
            o.tls.insecureSkipVerify = true;
            HttpClient insecure(&context, o, u"tls"_s);
            QVERIFY(fetch(insecure, HttpRequest::get(url)).ok());
            const QString warning = insecure.insecureWarning(url.toString());
            QVERIFY(warning.contains(u"TLS verification is OFF"_s));
            QVERIFY(warning.contains(u"sources.test.tls.insecure_skip_verify"_s));
        }
    }

    // Review finding 16: a redirect never re-sends a POST or PATCH body (a PagerDuty
    // routing key, a Kubernetes eviction) to another place, and never leaves https.
    void redirectsNeverResendABodyNorDowngrade_data()
    {
        QTest::addColumn<bool>("patch");
        QTest::addRow("POST") << false;
        QTest::addRow("PATCH") << true;
    }

    void redirectsNeverResendABodyNorDowngrade()
    {
        QFETCH(bool, patch);
        TestHttpServer other;
        QVERIFY(other.listen());
        other.setHandler([](const TestRequest &) { return TestReply { 200, "{}" }; });
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([&](const TestRequest &) {
            TestReply reply { 307, {} }; // 307 and 308 keep the method and the body
            reply.header("Location", "http://localhost:" + QByteArray::number(other.port()) + "/landed");
            return reply;
        });
        QObject context;
        HttpClient client(&context, fastOptions(), u"test-http"_s);
        HttpRequest request = HttpRequest::postJson(server.url(u"/enqueue"_s), R"({"routing_key":"s3cret"})");
        if (patch)
            request.method = HttpRequest::Method::Patch;
        const HttpResponse r = fetch(client, request);
        QCOMPARE(other.requestCount(), 0);
        QCOMPARE(r.status, 307);
        QVERIFY(!r.ok());
    }

    void anHttpsRedirectNeverLandsOnHttp()
    {
        const SelfSignedCertificate made;
        QVERIFY2(made.ok(), qPrintable(made.error));
        const QString cert = made.certFile();
        TestHttpServer plain;
        QVERIFY(plain.listen());
        plain.setHandler([](const TestRequest &) { return TestReply { 200, "{}" }; });
        TestHttpServer secure;
        QVERIFY(secure.listenTls(QSslCertificate(made.certPem), QSslKey(made.keyPem, QSsl::Rsa)));
        secure.setHandler([&](const TestRequest &) {
            TestReply reply { 302, {} };
            reply.header("Location", plain.url(u"/landed"_s).toEncoded());
            return reply;
        });
        QObject context;
        HttpOptions o = fastOptions();
        o.tls.caFile = cert;
        HttpClient client(&context, o, u"tls"_s);
        const HttpResponse r = fetch(client, HttpRequest::get(secure.url(u"/api"_s)));
        QVERIFY(!r.ok());
        QCOMPARE(plain.requestCount(), 0);
    }

    void proxyFromEnvironment()
    {
        TestHttpServer proxy;
        QVERIFY(proxy.listen());
        proxy.setHandler([](const TestRequest &) { return TestReply { 200, R"({"via":"proxy"})" }; });
        const QByteArray saved = qgetenv("http_proxy");
        qputenv("http_proxy", proxy.url().toEncoded());
        QObject context;
        HttpClient client(&context, fastOptions(), u"test-http"_s);
        const HttpResponse r
            = fetch(client, HttpRequest::get(QUrl(u"http://prometheus.example.invalid:9090/api/v1/query"_s)));
        if (saved.isEmpty())
            qunsetenv("http_proxy");
        else
            qputenv("http_proxy", saved);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(proxy.requests().value(0).target, QByteArray("http://prometheus.example.invalid:9090/api/v1/query"));
    }

    void shutdownDoesNotWaitForSlowServer()
    {
        TestHttpServer server;
        QVERIFY(server.listen());
        server.setHandler([](const TestRequest &) {
            TestReply reply { 200, "{}" };
            reply.delayMs = 20'000;
            return reply;
        });
        bool called = false;
        QElapsedTimer timer;
        {
            QObject context;
            HttpOptions o = fastOptions();
            o.totalTimeout = Duration { 30'000 };
            HttpClient client(&context, o, u"test-http"_s);
            client.send(HttpRequest::get(server.url(u"/slow"_s)), [&](HttpResponse) { called = true; });
            QTRY_COMPARE(server.requestCount(), 1);
            timer.start();
        } // the client is destroyed with the request in flight
        QVERIFY2(timer.elapsed() < 5'000, "destroying the client waited for the slow server");
        QCoreApplication::processEvents();
        QVERIFY(!called);
    }
};

QTEST_GUILESS_MAIN(TestHttp)
#include "tst_http.moc"
