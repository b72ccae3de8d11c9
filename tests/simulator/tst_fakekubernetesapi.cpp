// The simulated fleet's FAKE Kubernetes API (sim::FakeKubernetesApi, `simulate
// --serve-kubernetes`), without a server: what it answers from the world, what an eviction
// and a scale patch do to the world, and that hostile requests (no token, unknown paths,
// bad patches, huge bodies) get the API's Status errors and change nothing. Virtual time;
// the wall clock is a second virtual clock a day later, so timestamps are checked exactly.
#include "simrig.h"
#include "simulator/kubeapi/fakekubernetesapi.h"
#include "simulator/world/podlifecycle.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

namespace antibody::sim::test {

namespace {

const QByteArray token = "t0ken-for-the-fake";
const QString deployments = u"/apis/apps/v1/namespaces/default/deployments/"_s;

KubeRequest get(const QString &path, const QString &selector = {})
{
    return KubeRequest { "GET", path, selector, {}, "Bearer " + token, {} };
}

KubeRequest send(const QByteArray &method, const QString &path, const QByteArray &contentType, const QByteArray &body)
{
    return KubeRequest { method, path, {}, contentType, "Bearer " + token, body };
}

QJsonObject json(const KubeReply &r)
{
    return QJsonDocument::fromJson(r.body).object();
}

QByteArray eviction(const QString &pod)
{
    return QJsonDocument(QJsonObject { { u"apiVersion"_s, u"policy/v1"_s }, { u"kind"_s, u"Eviction"_s },
                             { u"metadata"_s, QJsonObject { { u"name"_s, pod }, { u"namespace"_s, u"default"_s } } },
                             { u"deleteOptions"_s, QJsonObject { { u"gracePeriodSeconds"_s, 30 } } } })
        .toJson();
}

struct ApiRig : Rig
{
    ApiRig()
        : wall(peakHour() + 24h)
        , api(world(), token, wall)
    {
    }
    VirtualClock wall;
    FakeKubernetesApi api;

    QStringList podNames(const QString &service)
    {
        QStringList out;
        for (const QJsonValue &p : json(api.handle(get(u"/api/v1/namespaces/default/pods"_s, u"app="_s + service)))
                                       .value(u"items"_s)
                                       .toArray())
            out << p.toObject().value(u"metadata"_s).toObject().value(u"name"_s).toString();
        return out;
    }
};

} // namespace

class TestFakeKubernetesApi : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aDeploymentPerService()
    {
        ApiRig rig;
        const KubeReply r = rig.api.handle(get(deployments + u"checkout-svc"_s));
        QCOMPARE(r.status, 200);
        const QJsonObject d = json(r);
        QCOMPARE(d.value(u"kind"_s).toString(), u"Deployment"_s);
        QCOMPARE(d.value(u"metadata"_s).toObject().value(u"namespace"_s).toString(), u"default"_s);
        QCOMPARE(d.value(u"spec"_s).toObject().value(u"replicas"_s).toInt(), 5);
        QCOMPARE(d.value(u"spec"_s).toObject().value(u"selector"_s).toObject().value(u"matchLabels"_s).toObject(),
            QJsonObject({ { u"app"_s, u"checkout-svc"_s } }));
        const QJsonObject scale = json(rig.api.handle(get(deployments + u"search-svc/scale"_s)));
        QCOMPARE(scale.value(u"spec"_s).toObject().value(u"replicas"_s).toInt(), 4);
        QCOMPARE(scale.value(u"status"_s).toObject().value(u"selector"_s).toString(), u"app=search-svc"_s);
        // The database is no Deployment; the fleet has no autoscaler.
        QCOMPARE(rig.api.handle(get(deployments + u"orders-db"_s)).status, 404);
        const QJsonObject hpas
            = json(rig.api.handle(get(u"/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers"_s)));
        QCOMPARE(hpas.value(u"items"_s).toArray().size(), 0);
        const QJsonArray sets
            = json(rig.api.handle(get(u"/apis/apps/v1/namespaces/default/replicasets"_s, u"app=checkout-svc"_s)))
                  .value(u"items"_s)
                  .toArray();
        QCOMPARE(sets.size(), 2); // the version before and the current one
    }

    void podsAsTheWorldHasThem()
    {
        ApiRig rig;
        QCOMPARE(rig.podNames(u"checkout-svc"_s).size(), 5);
        QCOMPARE(rig.podNames(u"nobody"_s).size(), 0);
        QCOMPARE(rig.podNames(QString()).size(), 0);
        rig.world().inject(Fault::crashLoop(u"checkout-svc"_s, { u"checkout-svc-3"_s }, u"exit 1"_s, 5s));
        rig.advance(3s);
        const QJsonArray pods = json(rig.api.handle(get(u"/api/v1/namespaces/default/pods"_s, u"app=checkout-svc"_s)))
                                    .value(u"items"_s)
                                    .toArray();
        QJsonObject three;
        for (const QJsonValue &p : pods) {
            if (p.toObject().value(u"metadata"_s).toObject().value(u"name"_s).toString() == u"checkout-svc-3"_s)
                three = p.toObject();
        }
        const QJsonObject container
            = three.value(u"status"_s).toObject().value(u"containerStatuses"_s).toArray().first().toObject();
        QCOMPARE(container.value(u"state"_s).toObject().value(u"waiting"_s).toObject().value(u"reason"_s).toString(),
            u"CrashLoopBackOff"_s);
        QCOMPARE(container.value(u"ready"_s).toBool(), false);
        // Created three days before the world's start, on the wall clock a day later.
        const QDateTime created = QDateTime::fromString(
            three.value(u"metadata"_s).toObject().value(u"creationTimestamp"_s).toString(), Qt::ISODate);
        QCOMPARE(created.toMSecsSinceEpoch(), toMillis(rig.wall.now() - (rig.clock.now() - peakHour()) - 72h));
    }

    // The cause in the pod: the eviction's new pod starts clean, and the old one goes.
    void anEvictionReplacesThePod()
    {
        ApiRig rig;
        rig.world().inject(Fault::crashLoopInPod(u"checkout-svc"_s, { u"checkout-svc-2"_s }, u"bad cache"_s, 5s));
        rig.advance(2s);
        const KubeReply r = rig.api.handle(send("POST", u"/api/v1/namespaces/default/pods/checkout-svc-2/eviction"_s,
            "application/json", eviction(u"checkout-svc-2"_s)));
        QCOMPARE(r.status, 201);
        QCOMPARE(rig.api.changes().size(), 1);
        QCOMPARE(rig.api.changes().first().kind, u"eviction"_s);
        QStringList names = rig.podNames(u"checkout-svc"_s);
        QCOMPARE(names.size(), 6); // the old one terminating, its replacement starting
        QVERIFY(names.contains(u"checkout-svc-6"_s));
        QCOMPARE(rig.fleet().pod(u"checkout-svc-2")->phase, PodPhase::Terminating);
        // Evicting it again changes nothing more.
        QCOMPARE(rig.api
                     .handle(send("POST", u"/api/v1/namespaces/default/pods/checkout-svc-2/eviction"_s,
                         "application/json", eviction(u"checkout-svc-2"_s)))
                     .status,
            201);
        QCOMPARE(rig.api.changes().size(), 1);
        rig.advance(2min);
        names = rig.podNames(u"checkout-svc"_s);
        QCOMPARE(names.size(), 5);
        QVERIFY(!names.contains(u"checkout-svc-2"_s));
        const Pod *fresh = rig.fleet().pod(u"checkout-svc-6");
        QVERIFY(fresh);
        QCOMPARE(fresh->phase, PodPhase::Running);
        QVERIFY(!fresh->inCrashLoop());
        QCOMPARE(fresh->restartCount, 0);
        QCOMPARE(replicasOf(rig.fleet(), u"checkout-svc"), 5);
    }

    // The cause in the configuration: the new pod crash-loops as the old one did.
    void aConfigurationCrashFollowsTheNewPod()
    {
        ApiRig rig;
        rig.world().inject(Fault::crashLoop(u"checkout-svc"_s, { u"checkout-svc-2"_s }, u"missing env"_s, 5s));
        rig.advance(2s);
        QCOMPARE(rig.api
                     .handle(send("POST", u"/api/v1/namespaces/default/pods/checkout-svc-2/eviction"_s,
                         "application/json", eviction(u"checkout-svc-2"_s)))
                     .status,
            201);
        rig.advance(2min);
        const Pod *fresh = rig.fleet().pod(u"checkout-svc-6");
        QVERIFY(fresh);
        QVERIFY(fresh->inCrashLoop());
    }

    void theDisruptionBudgetHolds()
    {
        ApiRig rig;
        // search-svc keeps 2 ready pods: two evictions of ready pods leave 2 of 4, the third is refused.
        for (const QString &pod : { u"search-svc-1"_s, u"search-svc-2"_s })
            QCOMPARE(rig.api
                         .handle(send("POST", u"/api/v1/namespaces/default/pods/%1/eviction"_s.arg(pod),
                             "application/json", eviction(pod)))
                         .status,
                201);
        const KubeReply refused
            = rig.api.handle(send("POST", u"/api/v1/namespaces/default/pods/search-svc-3/eviction"_s,
                "application/json", eviction(u"search-svc-3"_s)));
        QCOMPARE(refused.status, 429);
        QCOMPARE(json(refused).value(u"reason"_s).toString(), u"TooManyRequests"_s);
        QCOMPARE(rig.fleet().pod(u"search-svc-3")->phase, PodPhase::Running);
    }

    void aScalePatchChangesTheReplicas()
    {
        ApiRig rig;
        const QByteArray patch = R"([{"op":"test","path":"/spec/replicas","value":4},)"
                                 R"({"op":"replace","path":"/spec/replicas","value":5}])";
        const KubeReply r
            = rig.api.handle(send("PATCH", deployments + u"search-svc/scale"_s, "application/json-patch+json", patch));
        QCOMPARE(r.status, 200);
        QCOMPARE(json(r).value(u"spec"_s).toObject().value(u"replicas"_s).toInt(), 5);
        QCOMPARE(replicasOf(rig.fleet(), u"search-svc"), 5);
        QCOMPARE(rig.fleet().pod(u"search-svc-5")->phase, PodPhase::Starting);
        QCOMPARE(rig.api.changes().last().detail,
            u"scaled default/search-svc from 4 to 5 replicas (started search-svc-5)"_s);
        // The same patch again: its test of 4 fails now, and nothing changes.
        const KubeReply again
            = rig.api.handle(send("PATCH", deployments + u"search-svc/scale"_s, "application/json-patch+json", patch));
        QCOMPARE(again.status, 422);
        QCOMPARE(replicasOf(rig.fleet(), u"search-svc"), 5);
        // A merge patch scales in: the newest pod drains and goes.
        QCOMPARE(rig.api
                     .handle(send("PATCH", deployments + u"search-svc/scale"_s, "application/merge-patch+json",
                         R"({"spec":{"replicas":4}})"))
                     .status,
            200);
        QCOMPARE(replicasOf(rig.fleet(), u"search-svc"), 4);
        rig.advance(1min);
        QVERIFY(!rig.fleet().pod(u"search-svc-5"));
    }

    void hostileRequests_data()
    {
        QTest::addColumn<QByteArray>("method");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QByteArray>("authorization");
        QTest::addColumn<QByteArray>("contentType");
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("reason");
        const QByteArray bearer = "Bearer " + token;
        const QString scale = deployments + u"search-svc/scale"_s;
        const QString evict = u"/api/v1/namespaces/default/pods/search-svc-1/eviction"_s;
        QTest::addRow("no token") << QByteArray("GET") << deployments + u"search-svc"_s << QByteArray() << QByteArray()
                                  << QByteArray() << 401 << u"Unauthorized"_s;
        QTest::addRow("wrong token") << QByteArray("PATCH") << scale << QByteArray("Bearer t0ken-for-the-fakf")
                                     << QByteArray("application/merge-patch+json")
                                     << QByteArray(R"({"spec":{"replicas":9}})") << 401 << u"Unauthorized"_s;
        QTest::addRow("token as basic") << QByteArray("GET") << scale << QByteArray("Basic " + token) << QByteArray()
                                        << QByteArray() << 401 << u"Unauthorized"_s;
        QTest::addRow("unknown path") << QByteArray("GET") << u"/api/v1/secrets"_s << bearer << QByteArray()
                                      << QByteArray() << 404 << u"NotFound"_s;
        QTest::addRow("other namespace") << QByteArray("GET") << u"/apis/apps/v1/namespaces/kube-system/deployments/x"_s
                                         << bearer << QByteArray() << QByteArray() << 404 << u"NotFound"_s;
        QTest::addRow("below a deployment") << QByteArray("GET") << deployments + u"search-svc/status/x"_s << bearer
                                            << QByteArray() << QByteArray() << 404 << u"NotFound"_s;
        QTest::addRow("path traversal") << QByteArray("POST") << u"/api/v1/namespaces/default/pods/../../x/eviction"_s
                                        << bearer << QByteArray("application/json") << eviction(u"x"_s) << 404
                                        << u"NotFound"_s;
        QTest::addRow("delete a deployment") << QByteArray("DELETE") << deployments + u"search-svc"_s << bearer
                                             << QByteArray() << QByteArray() << 405 << u"MethodNotAllowed"_s;
        QTest::addRow("roll back") << QByteArray("PATCH") << deployments + u"search-svc"_s << bearer
                                   << QByteArray("application/json-patch+json") << QByteArray("[]") << 405
                                   << u"MethodNotAllowed"_s;
        QTest::addRow("patch not JSON") << QByteArray("PATCH") << scale << bearer
                                        << QByteArray("application/json-patch+json") << QByteArray("[{\"op\":") << 400
                                        << u"BadRequest"_s;
        QTest::addRow("JSON patch not a list")
            << QByteArray("PATCH") << scale << bearer << QByteArray("application/json-patch+json")
            << QByteArray(R"({"op":"replace"})") << 400 << u"BadRequest"_s;
        QTest::addRow("patch elsewhere") << QByteArray("PATCH") << scale << bearer
                                         << QByteArray("application/json-patch+json")
                                         << QByteArray(R"([{"op":"replace","path":"/metadata/name","value":"x"}])")
                                         << 422 << u"Invalid"_s;
        QTest::addRow("remove replicas") << QByteArray("PATCH") << scale << bearer
                                         << QByteArray("application/json-patch+json")
                                         << QByteArray(R"([{"op":"remove","path":"/spec/replicas"}])") << 422
                                         << u"Invalid"_s;
        QTest::addRow("negative") << QByteArray("PATCH") << scale << bearer
                                  << QByteArray("application/merge-patch+json")
                                  << QByteArray(R"({"spec":{"replicas":-1}})") << 422 << u"Invalid"_s;
        QTest::addRow("fraction") << QByteArray("PATCH") << scale << bearer
                                  << QByteArray("application/merge-patch+json")
                                  << QByteArray(R"({"spec":{"replicas":4.5}})") << 422 << u"Invalid"_s;
        QTest::addRow("text") << QByteArray("PATCH") << scale << bearer << QByteArray("application/merge-patch+json")
                              << QByteArray(R"({"spec":{"replicas":"5"}})") << 422 << u"Invalid"_s;
        QTest::addRow("a billion") << QByteArray("PATCH") << scale << bearer
                                   << QByteArray("application/merge-patch+json")
                                   << QByteArray(R"({"spec":{"replicas":1e9}})") << 422 << u"Invalid"_s;
        QTest::addRow("beyond int") << QByteArray("PATCH") << scale << bearer
                                    << QByteArray("application/merge-patch+json")
                                    << QByteArray(R"({"spec":{"replicas":1e300}})") << 422 << u"Invalid"_s;
        QTest::addRow("no content type") << QByteArray("PATCH") << scale << bearer << QByteArray()
                                         << QByteArray(R"({"spec":{"replicas":5}})") << 415
                                         << u"UnsupportedMediaType"_s;
        QTest::addRow("huge body") << QByteArray("PATCH") << scale << bearer
                                   << QByteArray("application/merge-patch+json")
                                   << QByteArray(FakeKubernetesApi::maxBodyBytes + 1, ' ') << 413
                                   << u"RequestEntityTooLarge"_s;
        QTest::addRow("eviction not JSON") << QByteArray("POST") << evict << bearer << QByteArray("application/json")
                                           << QByteArray("\xff\xfe") << 400 << u"BadRequest"_s;
        QTest::addRow("eviction of another") << QByteArray("POST") << evict << bearer << QByteArray("application/json")
                                             << eviction(u"search-svc-2"_s) << 400 << u"BadRequest"_s;
        QTest::addRow("eviction of nobody")
            << QByteArray("POST") << u"/api/v1/namespaces/default/pods/nobody-1/eviction"_s << bearer
            << QByteArray("application/json") << eviction(u"nobody-1"_s) << 404 << u"NotFound"_s;
        QTest::addRow("get an eviction") << QByteArray("GET") << evict << bearer << QByteArray() << QByteArray() << 405
                                         << u"MethodNotAllowed"_s;
    }
    void hostileRequests()
    {
        QFETCH(QByteArray, method);
        QFETCH(QString, path);
        QFETCH(QByteArray, authorization);
        QFETCH(QByteArray, contentType);
        QFETCH(QByteArray, body);
        QFETCH(int, status);
        QFETCH(QString, reason);
        ApiRig rig;
        const KubeReply r = rig.api.handle(KubeRequest { method, path, {}, contentType, authorization, body });
        QCOMPARE(r.status, status);
        const QJsonObject s = json(r);
        QCOMPARE(s.value(u"kind"_s).toString(), u"Status"_s);
        QCOMPARE(s.value(u"status"_s).toString(), u"Failure"_s);
        QCOMPARE(s.value(u"code"_s).toInt(), status);
        QCOMPARE(s.value(u"reason"_s).toString(), reason);
        QVERIFY(!s.value(u"message"_s).toString().isEmpty());
        QVERIFY2(!r.body.contains(token), "a Status never repeats the token");
        // Nothing changed in the world.
        QCOMPARE(rig.api.changes().size(), 0);
        QCOMPARE(replicasOf(rig.fleet(), u"search-svc"), 4);
        QCOMPARE(rig.fleet().pod(u"search-svc-1")->phase, PodPhase::Running);
        QCOMPARE(rig.api.refused(), 1);
    }
};

} // namespace antibody::sim::test

QTEST_GUILESS_MAIN(antibody::sim::test::TestFakeKubernetesApi)
#include "tst_fakekubernetesapi.moc"
