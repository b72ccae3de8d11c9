// What counts as a secret, and that the rest of the text stays readable.
#include "engine/store/redaction.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using antibody::Redaction;

class TestRedaction : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void text_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addColumn<QString>("expected");
        QTest::addRow("postgres URL") << u"postgresql://app:hunter2@orders-db:5432/orders"_s
                                      << u"postgresql://app:[redacted]@orders-db:5432/orders"_s;
        QTest::addRow("URL without a password")
            << u"https://wiki.example.com:8443/runbooks/pool"_s << u"https://wiki.example.com:8443/runbooks/pool"_s;
        QTest::addRow("libpq conninfo") << u"host=orders-db user=app password=hunter2 dbname=orders"_s
                                        << u"host=orders-db user=app password=[redacted] dbname=orders"_s;
        QTest::addRow("quoted conninfo password")
            << u"password='two words' host=db"_s << u"password=[redacted] host=db"_s;
        QTest::addRow("query string token") << u"https://hooks.example.com/x?token=abc123&channel=ops"_s
                                            << u"https://hooks.example.com/x?token=[redacted]&channel=ops"_s;
        QTest::addRow("authorization header")
            << u"Authorization: Bearer eyJhbGciOi.eyJzdWIi.c2lnbmF0dXJl"_s << u"Authorization: [redacted]"_s;
        QTest::addRow("bearer in prose") << u"sent with Bearer 7f3a9c2e1d"_s << u"sent with Bearer [redacted]"_s;
        QTest::addRow("basic in prose stays") << u"Basic connectivity restored"_s << u"Basic connectivity restored"_s;
        QTest::addRow("api key in config text") << u"api_key: 0123456789abcdef"_s << u"api_key: [redacted]"_s;
        QTest::addRow("routing key") << u"routing_key=R0utingKey42xyz sent"_s << u"routing_key=[redacted] sent"_s;
        QTest::addRow("JWT alone") << u"token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxIn0.abc_def-123"_s
                                   << u"token [redacted]"_s;
        QTest::addRow("AWS key id") << u"used AKIAIOSFODNN7EXAMPLE today"_s << u"used [redacted] today"_s;
        QTest::addRow("GitHub token") << u"ghp_abcdefghijklmnopqrstuvwxyz0123456789"_s << u"[redacted]"_s;
        QTest::addRow("Slack token") << u"xoxb-1234567890-abcdefghij"_s << u"[redacted]"_s;
        QTest::addRow("Antibody API token, its id kept")
            << u"pasted abt_1a2b3c4d5e6f_Jq1Xx0m8yXr4pQe2hT6b1sVw9ZcA0dUf5gKjL3nOi7M by mistake"_s
            << u"pasted abt_1a2b3c4d5e6f_[redacted] by mistake"_s;
        QTest::addRow("a token's short form stays")
            << u"revoked abt_1a2b3c4d5e6f… at 09:12"_s << u"revoked abt_1a2b3c4d5e6f… at 09:12"_s;
        QTest::addRow("private key block")
            << u"key: -----BEGIN RSA PRIVATE KEY-----\nMIIEow\n-----END RSA PRIVATE KEY----- done"_s
            << u"key: [redacted] done"_s;
        QTest::addRow("a step's explanation stays") << u"kill 2 of 14 idle connections older than 300s (15% cap)"_s
                                                    << u"kill 2 of 14 idle connections older than 300s (15% cap)"_s;
        QTest::addRow("pass numbers stay") << u"kill_idle pass 2 of 3"_s << u"kill_idle pass 2 of 3"_s;
    }

    void text()
    {
        QFETCH(QString, input);
        QFETCH(QString, expected);
        QCOMPARE(Redaction::text(input), expected);
    }

    void keys_data()
    {
        QTest::addColumn<QString>("key");
        QTest::addColumn<bool>("secret");
        for (const char *k : { "password", "DB_PASSWORD", "passwd", "pwd", "token", "access_token", "X-Api-Key",
                 "apiKey", "Authorization", "proxy-authorization", "client_secret", "routing_key", "integrationKey",
                 "cookie", "session_id", "private_key", "credentials", "auth", "passphrase" })
            QTest::addRow("%s", k) << QString::fromLatin1(k) << true;
        for (const char *k :
            { "pass", "passes", "author", "approver", "fingerprint", "step", "targets", "keyspace", "state", "hash" })
            QTest::addRow("%s", k) << QString::fromLatin1(k) << false;
    }

    void keys()
    {
        QFETCH(QString, key);
        QFETCH(bool, secret);
        QCOMPARE(Redaction::isSecretKey(key), secret);
    }

    void nestedStructures()
    {
        const QJsonObject input = QJsonDocument::fromJson(
            "{ \"step\": \"page_oncall\", \"pass\": 2, \"request\": { \"url\": "
            "\"https://user:pw@events.example.com/v2\", \"headers\": { \"Authorization\": \"Token abc\", "
            "\"Content-Type\": \"application/json\" } }, \"params\": [ { \"password\": 12345 }, \"password=plain\", { "
            "\"targets\": [\"pid 4711\"] } ], \"token\": { \"nested\": \"whole value goes\" } }")
                                      .object();
        const QJsonObject expected = QJsonDocument::fromJson(
            "{ \"step\": \"page_oncall\", \"pass\": 2, \"request\": { \"url\": "
            "\"https://user:[redacted]@events.example.com/v2\", \"headers\": { \"Authorization\": \"[redacted]\", "
            "\"Content-Type\": \"application/json\" } }, \"params\": [ { \"password\": \"[redacted]\" }, "
            "\"password=[redacted]\", { \"targets\": [\"pid 4711\"] } ], \"token\": \"[redacted]\" }")
                                         .object();
        QCOMPARE(Redaction::object(input), expected);
        QCOMPARE(Redaction::map(input.toVariantMap()), expected.toVariantMap());
    }

    // Hostile input: long, odd and unterminated text must not hang or crash the patterns.
    void hostileTextFinishes_data()
    {
        QTest::addColumn<QString>("input");
        QTest::addRow("long run of token chars") << u"Bearer "_s + QString(200'000, u'a') + u"1"_s;
        QTest::addRow("unterminated key block") << u"-----BEGIN PRIVATE KEY-----"_s + QString(100'000, u'x');
        QTest::addRow("many equals") << QString(50'000, u'=');
        QTest::addRow("many at signs in a URL") << u"http://"_s + QString(50'000, u'@');
        QTest::addRow("unterminated quote") << u"password='"_s + QString(100'000, u'y');
    }

    void hostileTextFinishes()
    {
        QFETCH(QString, input);
        const QString out = Redaction::text(input);
        QVERIFY(!out.isEmpty());
        QVERIFY(out.size() <= input.size() + 16);
    }
};

QTEST_GUILESS_MAIN(TestRedaction)
#include "tst_redaction.moc"
