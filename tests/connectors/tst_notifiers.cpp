// PagerDuty Events API v2 and the JSON webhook, delivered to our own test sink
// (a local receiver that records what arrives and answers as told).
#include "connectors/notifiers/pagerdutynotifier.h"
#include "connectors/notifiers/webhooknotifier.h"
#include "testhttpserver.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>
#include <optional>

using namespace Qt::StringLiterals;
using namespace antibody;
using antibody::test::TestHttpServer;
using antibody::test::TestReply;
using antibody::test::TestRequest;

namespace {

const QByteArray routingKey = "R0UTING-KEY-0123456789abcdef";

Notification page(const QString &severity = u"critical"_s)
{
    Notification n;
    n.kind = Notification::Kind::Page;
    n.dedupKey = u"INC-7"_s;
    n.incidentId = u"INC-7"_s;
    n.service = u"orders-db"_s;
    n.severity = severity;
    n.summary = u"connection pool exhausted: auto-remediation failed"_s;
    n.details = { { u"pool_utilization"_s, 0.95 }, { u"tried"_s, QJsonArray { u"kill_idle x3"_s } } };
    return n;
}

PagerDutyConfig pagerDuty(const TestHttpServer &sink)
{
    PagerDutyConfig c;
    c.url = sink.url(u"/v2/enqueue"_s);
    c.routingKey = Secret(routingKey);
    c.http.configKey = u"notifiers.pagerduty"_s;
    c.http.retryBase = Duration { 5 };
    c.http.retryMax = Duration { 20 };
    return c;
}

QStringList *g_log = nullptr;
void collect(QtMsgType, const QMessageLogContext &, const QString &m)
{
    if (g_log)
        g_log->append(m);
}

} // namespace

class TestNotifiers : public QObject
{
    Q_OBJECT

    NotifyResult deliver(Notifier &notifier, const Notification &n)
    {
        std::optional<NotifyResult> out;
        bool returned = false;
        notifier.send(n, [&](const NotifyResult &r) {
            QVERIFY(returned);
            out = r;
        });
        returned = true;
        [&] { QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 10'000); }();
        return out.value_or(NotifyResult {});
    }

    static QJsonObject json(const TestRequest &r) { return QJsonDocument::fromJson(r.body).object(); }

private Q_SLOTS:
    void pagerDutyTrigger()
    {
        TestHttpServer sink;
        QVERIFY(sink.listen());
        sink.setHandler([](const TestRequest &) {
            return TestReply(202, "{\"status\":\"success\",\"message\":\"Event processed\",\"dedup_key\":\"INC-7\"}");
        });
        PagerDutyNotifier notifier(pagerDuty(sink));
        const NotifyResult r = deliver(notifier, page());
        QVERIFY2(r.ok, qPrintable(r.error));
        QCOMPARE(sink.requestCount(), 1);
        const TestRequest req = sink.requests().first();
        QCOMPARE(req.method, QByteArray("POST"));
        QCOMPARE(req.path, QByteArray("/v2/enqueue"));
        QCOMPARE(req.header("content-type"), QByteArray("application/json"));
        const QJsonObject body = json(req);
        QCOMPARE(body.value(u"routing_key"_s).toString().toUtf8(), routingKey);
        QCOMPARE(body.value(u"event_action"_s).toString(), u"trigger"_s);
        QCOMPARE(body.value(u"dedup_key"_s).toString(), u"INC-7"_s);
        const QJsonObject payload = body.value(u"payload"_s).toObject();
        QCOMPARE(payload.value(u"severity"_s).toString(), u"critical"_s);
        QCOMPARE(payload.value(u"source"_s).toString(), u"antibody"_s);
        QCOMPARE(payload.value(u"component"_s).toString(), u"orders-db"_s);
        QCOMPARE(payload.value(u"summary"_s).toString(), u"connection pool exhausted: auto-remediation failed"_s);
        const QJsonObject details = payload.value(u"custom_details"_s).toObject();
        QCOMPARE(details.value(u"pool_utilization"_s).toDouble(), 0.95);
        QCOMPARE(details.value(u"incident"_s).toString(), u"INC-7"_s);
        QCOMPARE(details.value(u"tried"_s).toArray().first().toString(), u"kill_idle x3"_s);
    }

    void pagerDutySeverities_data()
    {
        QTest::addColumn<QString>("ours");
        QTest::addColumn<QString>("theirs");
        QTest::addRow("critical") << u"critical"_s << u"critical"_s;
        QTest::addRow("high") << u"high"_s << u"error"_s;
        QTest::addRow("medium") << u"medium"_s << u"warning"_s;
        QTest::addRow("low") << u"low"_s << u"warning"_s;
        QTest::addRow("info") << u"info"_s << u"info"_s;
        QTest::addRow("unknown") << u"weird"_s << u"info"_s;
    }
    void pagerDutySeverities()
    {
        QFETCH(QString, ours);
        QFETCH(QString, theirs);
        QCOMPARE(PagerDutyNotifier::severityOf(ours), theirs);
    }

    void pagerDutyResolveAndNotify()
    {
        TestHttpServer sink;
        QVERIFY(sink.listen());
        sink.setHandler([](const TestRequest &) { return TestReply(202, "{\"status\":\"success\"}"); });
        PagerDutyNotifier notifier(pagerDuty(sink));
        Notification resolve = page();
        resolve.kind = Notification::Kind::Resolve;
        QVERIFY(deliver(notifier, resolve).ok);
        const QJsonObject r = json(sink.requests().last());
        QCOMPARE(r.value(u"event_action"_s).toString(), u"resolve"_s);
        QCOMPARE(r.value(u"dedup_key"_s).toString(), u"INC-7"_s); // closes the page the trigger opened

        Notification fyi = page(u"info"_s);
        fyi.kind = Notification::Kind::Notify;
        fyi.summary = u"healed: 6 idle connections terminated, pool at 65%"_s;
        QVERIFY(deliver(notifier, fyi).ok);
        const TestRequest change = sink.requests().last();
        QCOMPARE(change.path, QByteArray("/v2/change/enqueue")); // informs, pages nobody
        QCOMPARE(json(change).value(u"payload"_s).toObject().value(u"summary"_s).toString(), fyi.summary);
        QVERIFY(!json(change).contains(u"event_action"_s));
    }

    void pagerDutyRetriesThrottledTriggers()
    {
        TestHttpServer sink;
        QVERIFY(sink.listen());
        int calls = 0;
        sink.setHandler([&](const TestRequest &) {
            return ++calls == 1 ? TestReply(429, "{\"status\":\"throttled\"}")
                                : TestReply(202, "{\"status\":\"success\"}");
        });
        PagerDutyNotifier notifier(pagerDuty(sink));
        QVERIFY(deliver(notifier, page()).ok);
        QCOMPARE(sink.requestCount(), 2); // the dedup key makes a second send harmless
        QCOMPARE(json(sink.requests()[0]).value(u"dedup_key"_s), json(sink.requests()[1]).value(u"dedup_key"_s));
    }

    void pagerDutyRefusalIsExplainedWithoutTheKey()
    {
        TestHttpServer sink;
        QVERIFY(sink.listen());
        sink.setHandler([](const TestRequest &) {
            return TestReply(400,
                "{\"status\":\"invalid event\",\"message\":\"Event object is invalid\",\"errors\":[\"Invalid routing "
                "key\"]}");
        });
        PagerDutyConfig c = pagerDuty(sink);
        c.http.trace = true;
        PagerDutyNotifier notifier(c);
        QStringList log;
        g_log = &log;
        const QtMessageHandler previous = qInstallMessageHandler(collect);
        const NotifyResult r = deliver(notifier, page());
        qInstallMessageHandler(previous);
        g_log = nullptr;
        QVERIFY(!r.ok);
        QCOMPARE(sink.requestCount(), 1); // a refusal is final
        QVERIFY2(r.error.contains(u"Event object is invalid: Invalid routing key"_s), qPrintable(r.error));
        QVERIFY2(r.error.contains(u"notifiers.pagerduty.routing_key_env"_s), qPrintable(r.error));
        QVERIFY(!r.error.contains(QString::fromUtf8(routingKey)));
        QVERIFY(!log.isEmpty());
        QVERIFY(!log.join(u'\n').contains(QString::fromUtf8(routingKey)));
    }

    void hugeDetailsAreReplacedByANote()
    {
        Notification n = page();
        n.details = { { u"dump"_s, QString(600 * 1024, u'x') } };
        TestHttpServer sink;
        QVERIFY(sink.listen());
        sink.setHandler([](const TestRequest &) { return TestReply(202, "{}"); });
        PagerDutyNotifier notifier(pagerDuty(sink));
        QVERIFY(deliver(notifier, n).ok);
        const QJsonObject details
            = json(sink.requests().first()).value(u"payload"_s).toObject().value(u"custom_details"_s).toObject();
        QVERIFY(!details.contains(u"dump"_s));
        QVERIFY(details.value(u"note"_s).toString().contains(u"larger than"_s));
        QVERIFY(sink.requests().first().body.size() < 500 * 1024);
    }

    void webhookIsSlackCompatible()
    {
        TestHttpServer sink;
        QVERIFY(sink.listen());
        sink.setHandler([](const TestRequest &) { return TestReply(200, "ok", "text/plain"); });
        WebhookConfig c;
        c.name = u"chat"_s;
        c.url = sink.url(u"/services/T000/B000/XXXX"_s);
        WebhookNotifier notifier(c);
        QCOMPARE(notifier.name(), u"chat"_s);
        QVERIFY(deliver(notifier, page()).ok);
        const QJsonObject body = json(sink.requests().first());
        QCOMPARE(body.value(u"text"_s).toString(),
            u"[PAGE critical] orders-db: connection pool exhausted: auto-remediation failed (incident INC-7)"_s);
        QCOMPARE(body.value(u"kind"_s).toString(), u"page"_s);
        QCOMPARE(body.value(u"severity"_s).toString(), u"critical"_s);
        QCOMPARE(body.value(u"incident"_s).toString(), u"INC-7"_s);
        QCOMPARE(body.value(u"service"_s).toString(), u"orders-db"_s);
        QCOMPARE(body.value(u"dedup_key"_s).toString(), u"INC-7"_s);
        QCOMPARE(body.value(u"details"_s).toObject().value(u"pool_utilization"_s).toDouble(), 0.95);

        Notification resolved = page();
        resolved.kind = Notification::Kind::Resolve;
        QVERIFY(deliver(notifier, resolved).ok);
        QVERIFY(json(sink.requests().last()).value(u"text"_s).toString().startsWith(u"[RESOLVED] orders-db"_s));
    }

    void webhookFailureIsNotSentTwice()
    {
        TestHttpServer sink;
        QVERIFY(sink.listen());
        sink.setHandler([](const TestRequest &) { return TestReply(500, "boom", "text/plain"); });
        WebhookConfig c;
        c.url = sink.url(u"/services/T000/B000/SECRETPATH"_s);
        c.urlIsSecret = true;
        c.http.hideUrlPath = true;
        c.http.configKey = u"notifiers.webhook"_s;
        WebhookNotifier notifier(c);
        const NotifyResult r = deliver(notifier, page());
        QVERIFY(!r.ok);
        QCOMPARE(sink.requestCount(), 1);
        QVERIFY2(r.error.contains(u"HTTP 500"_s), qPrintable(r.error));

        sink.close(); // now nothing listens: the error names the host, never the secret path
        const NotifyResult down = deliver(notifier, page());
        QVERIFY(!down.ok);
        QVERIFY2(down.error.contains(u"127.0.0.1"_s) && down.error.contains(u"[redacted]"_s), qPrintable(down.error));
        QVERIFY(!down.error.contains(u"SECRETPATH"_s));
    }
};

QTEST_GUILESS_MAIN(TestNotifiers)
#include "tst_notifiers.moc"
