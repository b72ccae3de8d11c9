// A configuration turned into the engine's ports (no server needed: nothing
// connects until the engine starts asking).
#include "connectors/environment/environment.h"
#include "engine/core/virtualclock.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>
#include <optional>

using namespace Qt::StringLiterals;
using namespace antibody;

class TestEnvironment : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;
    VirtualClock m_clock;

    Configuration load(const QByteArray &yaml)
    {
        const auto loaded = Configuration::parse(yaml, u"antibody.yaml"_s, m_dir.path());
        if (!loaded.configuration)
            qFatal("%s", qPrintable(describeErrors(loaded.errors)));
        return *loaded.configuration;
    }

    static ActionExecutor *family(const Engine::Ports &p, const QString &name)
    {
        for (ActionExecutor *e : p.executors) {
            if (e->family() == name)
                return e;
        }
        return nullptr;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir(m_dir.path()).mkpath(u"runbooks"_s));
        qputenv("ANTIBODY_TEST_ROUTING_KEY", "rk");
    }

    void theIssueExample()
    {
        const Configuration c
            = load("sources:\n  prometheus: { url: \"http://127.0.0.1:19090\" }\n"
                   "  alertmanager: { url: \"http://127.0.0.1:19093\" }\n"
                   "executors:\n  postgres: { dsn: \"host=127.0.0.1 port=19432 dbname=postgres user=postgres\" }\n"
                   "runbooks: [ \"runbooks/\" ]\n"
                   "engine: { evaluation_interval: 1s, freshness_bound: 10s, pass_settle: 1s, identity: ci }\n");
        const auto built = Environment::fromConfiguration(c, m_clock);
        QVERIFY2(built.environment, qPrintable(built.error));
        const Environment &env = *built.environment;
        const Engine::Ports p = env.ports(&m_clock, nullptr);
        QVERIFY(p.metrics);
        QCOMPARE(p.metrics->name(), u"prometheus http://127.0.0.1:19090"_s);
        QCOMPARE(p.alertSources.size(), 2); // Prometheus (its health) and Alertmanager
        QCOMPARE(p.alertSources[1]->name(), u"alertmanager http://127.0.0.1:19093"_s);
        QCOMPARE(p.executors.size(), 2);
        QVERIFY(family(p, u"database"_s));
        QVERIFY(family(p, u"diagnostics"_s));
        QCOMPARE(family(p, u"database"_s)->actions(), QStringList { u"terminate_connections"_s });
        QVERIFY(p.notifiers.isEmpty());
        QCOMPARE(env.runbookPaths(), QStringList { m_dir.filePath(u"runbooks"_s) });
        const Engine::Settings s = env.settings({});
        QCOMPARE(s.evaluationInterval, Duration { 1'000 });
        QCOMPARE(s.freshnessBound, Duration { 10'000 });
        QCOMPARE(s.passSettle, Duration { 1'000 });
        QCOMPARE(s.identity, u"ci"_s);
        QCOMPARE(s.approvalTtl, Engine::Settings {}.approvalTtl); // untouched
        // Review finding 26: a configured name never hides who acted under it.
        Engine::Settings process;
        process.identity = u"alice@laptop (pid 4711)"_s;
        QCOMPARE(env.settings(process).identity, u"ci [alice@laptop (pid 4711)]"_s);
        const QString described = env.describe().join(u'\n');
        QVERIFY2(described.contains(
                     u"database:  postgres postgres (host=127.0.0.1 port=19432 dbname=postgres user=postgres)"_s),
            qPrintable(described));
    }

    void severalDatabasesAreRoutedByService()
    {
        const Configuration c = load("executors:\n  postgres:\n"
                                     "    - { name: orders, dsn: \"host=127.0.0.1 port=1 dbname=orders\", service: "
                                     "orders-db, connect_timeout: 1s }\n"
                                     "    - { name: users, dsn: \"host=127.0.0.1 port=2 dbname=users\", service: "
                                     "users-db, connect_timeout: 1s }\n");
        const auto built = Environment::fromConfiguration(c, m_clock);
        QVERIFY(built.environment);
        const Engine::Ports p = built.environment->ports(&m_clock, nullptr);
        ActionExecutor *db = family(p, u"database"_s);
        QVERIFY(db);
        QVERIFY(family(p, u"diagnostics"_s));
        auto fleetOf = [&](const QString &service) {
            std::optional<Fleet> out;
            bool returned = false;
            db->fleet(TargetQuery { u"terminate_connections"_s, u"connections"_s, service, {} }, [&](const Fleet &f) {
                QVERIFY(returned);
                out = f;
            });
            returned = true;
            [&] { QTRY_VERIFY_WITH_TIMEOUT(out.has_value(), 10'000); }();
            return out.value_or(Fleet {});
        };
        // Each service reaches its own server (both unreachable here: the error says which).
        QVERIFY2(fleetOf(u"users-db"_s).error.contains(u"port=2"_s), qPrintable(fleetOf(u"users-db"_s).error));
        QVERIFY(fleetOf(u"orders-db"_s).error.contains(u"port=1"_s));
        const Fleet none = fleetOf(u"billing-db"_s);
        QVERIFY(!none.ok);
        QVERIFY2(none.error.contains(
                     u"no entry of executors.postgres serves billing-db (configured: orders-db, users-db)"_s),
            qPrintable(none.error));
    }

    void notifiersAndKubernetes()
    {
        QFile kubeconfig(m_dir.filePath(u"kubeconfig"_s));
        QVERIFY(kubeconfig.open(QIODevice::WriteOnly));
        kubeconfig.write("current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n"
                         "clusters: [{name: k, cluster: {server: \"https://k8s.example:6443\"}}]\nusers: [{name: u, "
                         "user: {token: t}}]\n");
        kubeconfig.close();
        const Configuration c = load("executors:\n  kubernetes: { kubeconfig: kubeconfig, namespace: shop }\n"
                                     "notifiers:\n  pagerduty: { routing_key_env: ANTIBODY_TEST_ROUTING_KEY }\n"
                                     "  webhook: [ { name: chat, url: \"http://127.0.0.1:9/hook\" } ]\n");
        const auto built = Environment::fromConfiguration(c, m_clock);
        QVERIFY2(built.environment, qPrintable(built.error));
        const Engine::Ports p = built.environment->ports(&m_clock, nullptr);
        QVERIFY(family(p, u"workload"_s));
        QCOMPARE(p.notifiers.size(), 2);
        QCOMPARE(p.notifiers[0]->name(), u"pagerduty"_s);
        QCOMPARE(p.notifiers[1]->name(), u"chat"_s);
        QVERIFY(!p.metrics);
        QVERIFY(
            built.environment->describe().join(u'\n').contains(u"kubernetes https://k8s.example:6443, context c"_s));
    }

    // executors.certificates: the certificates family, one executor for every listed service.
    void certificates()
    {
        QFile pem(m_dir.filePath(u"fullchain.pem"_s));
        QVERIFY(pem.open(QIODevice::WriteOnly));
        pem.close();
        const Configuration c
            = load("executors:\n  certificates:\n    services:\n"
                   "      shop: [ { name: shop-tls, certificate: fullchain.pem, renew: [certbot] } ]\n"
                   "      api: [ { name: api-tls, certificate: fullchain.pem, renew: [certbot] } ]\n");
        const auto built = Environment::fromConfiguration(c, m_clock);
        QVERIFY2(built.environment, qPrintable(built.error));
        const Engine::Ports p = built.environment->ports(&m_clock, nullptr);
        ActionExecutor *certificates = family(p, u"certificates"_s);
        QVERIFY(certificates);
        QCOMPARE(certificates->actions(), QStringList { u"renew_certificate"_s });
        QVERIFY2(built.environment->describe().contains(u"certs:     2 certificates of api, shop"_s),
            qPrintable(built.environment->describe().join(u'\n')));
    }

    void unusableKubeconfigNamesTheKey()
    {
        QFile kubeconfig(m_dir.filePath(u"plugin"_s));
        QVERIFY(kubeconfig.open(QIODevice::WriteOnly));
        kubeconfig.write("current-context: c\ncontexts: [{name: c, context: {cluster: k, user: u}}]\n"
                         "clusters: [{name: k, cluster: {server: \"https://k8s.example\"}}]\nusers: [{name: u, user: "
                         "{exec: {command: gke}}}]\n");
        kubeconfig.close();
        const auto built
            = Environment::fromConfiguration(load("executors:\n  kubernetes: { kubeconfig: plugin }\n"), m_clock);
        QVERIFY(!built.environment);
        QVERIFY2(built.error.startsWith(u"executors.kubernetes: kubeconfig "_s)
                && built.error.contains(u"credential plugin"_s),
            qPrintable(built.error));
    }

    void movesToTheEngineThreadWhole()
    {
        const auto built
            = Environment::fromConfiguration(load("sources:\n  prometheus: { url: \"http://127.0.0.1:9\" }\n"
                                                  "  alertmanager: { url: \"http://127.0.0.1:9\" }\n"),
                m_clock);
        QVERIFY(built.environment);
        QThread engineThread;
        built.environment->moveToThread(&engineThread);
        const Engine::Ports p = built.environment->ports(&m_clock, nullptr);
        for (AlertSource *s : p.alertSources)
            QCOMPARE(s->thread(), &engineThread);
        // Back to this thread, from the engine thread (only an object's own thread may move it).
        engineThread.start();
        QThread *here = QThread::currentThread();
        Environment *env = built.environment.get();
        QMetaObject::invokeMethod(
            env, [env, here] { env->moveToThread(here); }, Qt::BlockingQueuedConnection);
        engineThread.quit();
        engineThread.wait();
        QCOMPARE(p.alertSources.first()->thread(), here);
    }
};

QTEST_GUILESS_MAIN(TestEnvironment)
#include "tst_environment.moc"
