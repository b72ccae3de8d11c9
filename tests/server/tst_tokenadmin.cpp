// Token administration over the client API, on its own (docs/team.md, "Administering
// tokens over the client API"): what a `token_create` may carry is checked as a stored
// record is, the server stamps who and when whatever the message says, a lifetime outside
// the bounds is refused, and a list never carries a hash. The whole flow with the policy
// and antibodyctl: tst_servercli::tokensAdministeredOverTheServerByAnAdmin.
#include "engine/store/memorytokens.h"
#include "server/tokenadmin.h"

#include <QJsonArray>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace std::chrono_literals;
using namespace antibody;

namespace {

const TimePoint now = fromMillis(1'764'900'000'000);

QJsonObject createWith(const QJsonObject &token)
{
    return QJsonObject { { u"type"_s, u"token_create"_s }, { u"token"_s, token } };
}

QJsonObject fresh(Duration lifetime = ApiTokens::defaultLifetime)
{
    return ApiTokens::toJson(ApiTokens::issue(u"frank"_s, { u"oncall"_s }, u"x"_s, now, lifetime).record, true);
}

} // namespace

class TestTokenAdmin : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void aNewTokenIsStampedByTheServer()
    {
        MemoryTokens records;
        QJsonObject token = fresh();
        token.insert(u"created_by"_s, u"root"_s); // forged
        token.insert(u"created_at"_s, 0);
        token.insert(u"revoked_at"_s, 5);
        const TokenAdmin::Answer made = TokenAdmin::answer(createWith(token), records, u"erin"_s, now);
        QVERIFY2(made.ok, qPrintable(made.reason));
        const auto stored = records.findToken(token.value(u"id"_s).toString());
        QVERIFY(stored);
        QCOMPARE(stored->createdBy, u"erin"_s);
        QCOMPARE(stored->createdAt, now);
        QVERIFY(!stored->revoked());
        QCOMPARE(stored->secretSha256, token.value(u"sha256"_s).toString());
        QVERIFY(!made.fields.value(u"token"_s).toObject().contains(u"sha256"_s));

        const TokenAdmin::Answer listed
            = TokenAdmin::answer(QJsonObject { { u"type"_s, u"token_list"_s } }, records, u"erin"_s, now);
        QVERIFY(listed.ok);
        QCOMPARE(listed.fields.value(u"tokens"_s).toArray().size(), 1);
        QVERIFY(!listed.fields.value(u"tokens"_s).toArray().first().toObject().contains(u"sha256"_s));

        const TokenAdmin::Answer again = TokenAdmin::answer(createWith(token), records, u"erin"_s, now);
        QVERIFY(!again.ok); // the id is taken
        const QJsonObject revoke { { u"type"_s, u"token_revoke"_s }, { u"id"_s, token.value(u"id"_s) } };
        QVERIFY(TokenAdmin::answer(revoke, records, u"erin"_s, now + 1h).ok);
        QCOMPARE(records.findToken(token.value(u"id"_s).toString())->revokedBy, u"erin"_s);
        const TokenAdmin::Answer twice = TokenAdmin::answer(revoke, records, u"erin"_s, now + 2h);
        QVERIFY(!twice.ok);
        QVERIFY2(twice.reason.contains(u"revoked"_s), qPrintable(twice.reason));
    }

    void hostileRecordsAreRefusedWithTheField_data()
    {
        QTest::addColumn<QJsonObject>("command");
        QTest::addColumn<QString>("says");
        const auto with = [](const QString &key, const QJsonValue &value) {
            QJsonObject t = fresh();
            if (value.isUndefined())
                t.remove(key);
            else
                t.insert(key, value);
            return createWith(t);
        };
        QTest::addRow("no token") << QJsonObject { { u"type"_s, u"token_create"_s } } << u"`id`"_s;
        QTest::addRow("token not an object")
            << QJsonObject { { u"type"_s, u"token_create"_s }, { u"token"_s, u"abt_x"_s } } << u"`id`"_s;
        QTest::addRow("id upper case") << with(u"id"_s, u"ABCDEF012345"_s) << u"`id`"_s;
        QTest::addRow("id SQL") << with(u"id"_s, u"1' OR '1'='1"_s) << u"`id`"_s;
        QTest::addRow("subject with a comma") << with(u"subject"_s, u"alice,bob"_s) << u"`subject`"_s;
        QTest::addRow("subject empty") << with(u"subject"_s, u""_s) << u"`subject`"_s;
        QTest::addRow("subject 10,000 characters") << with(u"subject"_s, QString(10'000, u'a')) << u"`subject`"_s;
        QTest::addRow("groups not a list") << with(u"groups"_s, u"oncall"_s) << u"`groups`"_s;
        QTest::addRow("groups of numbers") << with(u"groups"_s, QJsonArray { 1, 2 }) << u"`groups`"_s;
        QTest::addRow("no hash") << with(u"sha256"_s, QJsonValue(QJsonValue::Undefined)) << u"`sha256`"_s;
        QTest::addRow("hash too short") << with(u"sha256"_s, u"abc"_s) << u"`sha256`"_s;
        QTest::addRow("expiry as text") << with(u"expires_at"_s, u"tomorrow"_s) << u"`expires_at`"_s;
        QTest::addRow("expired already") << with(u"expires_at"_s, toMillis(now - 1h)) << u"a token lives from"_s;
        QTest::addRow("a year") << with(u"expires_at"_s, toMillis(now + std::chrono::days(365)))
                                << u"a token lives from"_s;
    }

    void hostileRecordsAreRefusedWithTheField()
    {
        QFETCH(QJsonObject, command);
        QFETCH(QString, says);
        MemoryTokens records;
        const TokenAdmin::Answer a = TokenAdmin::answer(command, records, u"erin"_s, now);
        QVERIFY(!a.ok);
        QVERIFY2(a.reason.contains(says), qPrintable(a.reason.left(300)));
        QVERIFY(records.tokens().isEmpty());
    }

    void aRevocationNamesAToken()
    {
        MemoryTokens records;
        const TokenAdmin::Answer none = TokenAdmin::answer(
            QJsonObject { { u"type"_s, u"token_revoke"_s }, { u"id"_s, 42 } }, records, u"erin"_s, now);
        QVERIFY(!none.ok);
        QVERIFY2(none.reason.contains(u"`id`"_s), qPrintable(none.reason));
        const TokenAdmin::Answer unknown = TokenAdmin::answer(
            QJsonObject { { u"type"_s, u"token_revoke"_s }, { u"id"_s, u"0123456789ab"_s } }, records, u"erin"_s, now);
        QVERIFY(!unknown.ok);
    }
};

QTEST_GUILESS_MAIN(TestTokenAdmin)
#include "tst_tokenadmin.moc"
