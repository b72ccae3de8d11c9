// executors.certificates as the configuration reads it: the worked example of
// docs/configuration.md, paths resolved against the configuration's folder, and every
// malformed or hostile value refused at its file:line and key path.
#include "connectors/config/configuration.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

class TestCertificatesConfig : public QObject
{
    Q_OBJECT

    QTemporaryDir m_dir;

    Configuration::Loaded parse(const QByteArray &yaml)
    {
        return Configuration::parse(yaml, u"antibody.yaml"_s, m_dir.path());
    }

    // `executors.certificates` with `body` under it (indented by the caller), after a source.
    static QByteArray section(const QByteArray &body)
    {
        return "sources:\n  prometheus: { url: \"http://127.0.0.1:9090\" }\nexecutors:\n  certificates:\n" + body;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_dir.isValid());
        QVERIFY(QDir(m_dir.path()).mkpath(u"tls/shop"_s));
        QFile f(m_dir.filePath(u"tls/shop/fullchain.pem"_s));
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("a file; its content is the executor's and the doctor's to judge\n");
    }

    void theWorkedExampleLoads()
    {
        const QString file = m_dir.filePath(u"tls/shop/fullchain.pem"_s);
        const auto loaded = parse(section(u"    pass_env: [STEPPATH]\n"
                                          u"    services:\n"
                                          u"      shop:\n"
                                          u"        - name: shop-tls\n"
                                          u"          certificate: %1\n"
                                          u"          renew: [certbot, renew, --cert-name, shop, --force-renewal]\n"
                                          u"          timeout: 2m\n"
                                          u"        - name: shop-api\n"
                                          u"          certificate: tls/shop/fullchain.pem\n"
                                          u"          renew: [./bin/renew, \"--days=90\", \"\"]\n"_s.arg(file)
                                              .toUtf8()));
        QVERIFY2(loaded.configuration, qPrintable(describeErrors(loaded.errors)));
        const CertificatesConfig &c = *loaded.configuration->certificates;
        QCOMPARE(c.passEnv, QStringList { u"STEPPATH"_s });
        QCOMPARE(c.services.keys(), QStringList { u"shop"_s });
        const QList<CertificateConfig> &shop = c.services.value(u"shop"_s);
        QCOMPARE(shop.size(), 2);
        QCOMPARE(shop[0].name, u"shop-tls"_s);
        QCOMPARE(shop[0].service, u"shop"_s);
        QCOMPARE(shop[0].file, file);
        QCOMPARE(shop[0].renew,
            (QStringList { u"certbot"_s, u"renew"_s, u"--cert-name"_s, u"shop"_s, u"--force-renewal"_s }));
        QCOMPARE(shop[0].timeout, Duration { 120'000 });
        QCOMPARE(shop[0].configKey, u"executors.certificates.services.shop[0]"_s);
        // Relative paths are the configuration folder's, never the working directory's;
        // a bare program name stays one, for PATH; arguments are passed as written.
        QCOMPARE(shop[1].file, file);
        QCOMPARE(shop[1].renew, (QStringList { m_dir.filePath(u"bin/renew"_s), u"--days=90"_s, QString() }));
        QCOMPARE(shop[1].timeout, Duration { 120'000 });
    }

    void errors_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::addColumn<QString>("key");
        QTest::addColumn<QString>("says");
        const QByteArray entry = "    services:\n      shop:\n        - name: shop-tls\n";
        const QByteArray file = "          certificate: tls/shop/fullchain.pem\n";
        const QByteArray renew = "          renew: [certbot, renew]\n";
        const QString at = u"executors.certificates.services.shop[0]"_s;

        QTest::addRow("renew is one string") << entry + file + "          renew: \"certbot renew --cert-name shop\"\n"
                                             << at + u".renew"_s << u"is one string; give the command as a list"_s;
        QTest::addRow("renew is a mapping") << entry + file + "          renew: { program: certbot }\n"
                                            << at + u".renew"_s << u"expected a non-empty list of arguments"_s;
        QTest::addRow("renew is empty") << entry + file + "          renew: []\n"
                                        << at + u".renew"_s << u"expected a non-empty list of arguments"_s;
        QTest::addRow("renew is null") << entry + file + "          renew:\n"
                                       << at + u".renew"_s << u"expected a non-empty list of arguments"_s;
        QTest::addRow("empty program") << entry + file + "          renew: [\"\", renew]\n"
                                       << at + u".renew[0]"_s << u"is empty; the first argument names the program"_s;
        QTest::addRow("a list as an argument")
            << entry + file + "          renew: [certbot, [a, b]]\n"
            << at + u".renew[1]"_s << u"expected one argument (a string), not a list"_s;
        QTest::addRow("NUL in an argument") << entry + file + "          renew: [certbot, \"a\\0b\"]\n"
                                            << at + u".renew[1]"_s << u"contains a NUL character"_s;
        QTest::addRow("too many arguments") << entry + file + "          renew: [" + QByteArray("x, ").repeated(70)
                + "x]\n" << at + u".renew"_s << u"has 71 arguments; at most 64"_s;
        QTest::addRow("an argument of 5000 characters")
            << entry + file + "          renew: [certbot, " + QByteArray(5000, 'a') + "]\n"
            << at + u".renew[1]"_s << u"is longer than 4096 characters"_s;
        QTest::addRow("renew missing") << entry + file << at + u".renew"_s << u"missing; the command that renews"_s;
        QTest::addRow("certificate missing")
            << entry + renew << at + u".certificate"_s << u"missing; the PEM file the server serves"_s;
        QTest::addRow("certificate not there") << entry + "          certificate: nope/fullchain.pem\n" + renew
                                               << at + u".certificate"_s << u"/nope/fullchain.pem does not exist"_s;
        QTest::addRow("certificate a folder")
            << entry + "          certificate: tls/shop\n" + renew << at + u".certificate"_s << u"is not a file"_s;
        QTest::addRow("certificate a list") << entry + "          certificate: [a, b]\n" + renew
                                            << at + u".certificate"_s << u"expected a single value, not a list"_s;
        QTest::addRow("name missing") << QByteArray("    services:\n      shop:\n        - certificate: "
                                                    "tls/shop/fullchain.pem\n")
                + renew << at + u".name"_s
                                      << u"missing; the name the plan and the timeline show"_s;
        QTest::addRow("name with spaces")
            << QByteArray("    services:\n      shop:\n        - name: \"shop tls; rm\"\n") + file + renew
            << at + u".name"_s << u"is not a certificate name"_s;
        QTest::addRow("timeout zero") << entry + file + renew + "          timeout: 0s\n"
                                      << at + u".timeout"_s << u"too short; at least 1s"_s;
        QTest::addRow("timeout of a day") << entry + file + renew + "          timeout: 24h\n"
                                          << at + u".timeout"_s << u"too long; at most 30m"_s;
        QTest::addRow("timeout a word") << entry + file + renew + "          timeout: soon\n"
                                        << at + u".timeout"_s << u"expected a duration"_s;
        QTest::addRow("misspelt key") << entry + file + "          renw: [certbot]\n"
                                      << at + u".renw"_s << u"unknown key (did you mean 'renew'?)"_s;
        QTest::addRow("same name twice") << entry + file + renew + "      api:\n        - name: shop-tls\n" + file
                + renew << u"executors.certificates.services.api[0].name"_s
                                         << u"a second certificate named 'shop-tls'"_s;
        QTest::addRow("no services") << QByteArray("    pass_env: [STEPPATH]\n") << u"executors.certificates.services"_s
                                     << u"expected a mapping: service name -> its certificates"_s;
        QTest::addRow("services a list") << QByteArray("    services: [shop]\n") << u"executors.certificates.services"_s
                                         << u"expected a mapping"_s;
        QTest::addRow("a service with an empty list")
            << QByteArray("    services:\n      shop: []\n") << u"executors.certificates.services.shop"_s
            << u"is an empty list"_s;
        QTest::addRow("a service with a string")
            << QByteArray("    services:\n      shop: fullchain.pem\n") << u"executors.certificates.services.shop"_s
            << u"expected a mapping of keys"_s;
        QTest::addRow("pass_env not a name")
            << QByteArray("    pass_env: [\"PATH=/evil\"]\n") + entry + file + renew
            << u"executors.certificates.pass_env"_s << u"'PATH=/evil' is not an environment variable name"_s;
        QTest::addRow("section a string")
            << QByteArray("    yes\n") << u"executors.certificates"_s << u"expected a mapping of keys"_s;
    }

    void errors()
    {
        QFETCH(QByteArray, body);
        QFETCH(QString, key);
        QFETCH(QString, says);
        const auto loaded = parse(section(body));
        QVERIFY(!loaded.configuration);
        QVERIFY(!loaded.errors.isEmpty());
        const ConfigError &e = loaded.errors.first();
        const QString all = describeErrors(loaded.errors);
        QCOMPARE(e.key, key);
        QVERIFY2(e.line >= 4, qPrintable(all)); // located in the section, not at the top of the file
        QVERIFY2(e.message.contains(says), qPrintable(all));
    }
};

QTEST_GUILESS_MAIN(TestCertificatesConfig)
#include "tst_certificatesconfig.moc"
