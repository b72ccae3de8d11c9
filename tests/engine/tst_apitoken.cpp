// API tokens as a person holds them: issued with enough randomness, read back from
// their text, checked in constant time, and every malformed or hostile text refused
// with a reason that never quotes the secret.
#include "engine/domain/apitoken.h"

#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

const TimePoint t0 = fromMillis(1'780'000'000'000);

IssuedToken issue(Duration lifetime = ApiTokens::defaultLifetime)
{
    return ApiTokens::issue(u"alice"_s, { u"oncall"_s }, u"root"_s, t0, lifetime);
}

} // namespace

class TestApiToken : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void anIssuedTokenReadsBackAndMatchesOnlyItsOwnSecret()
    {
        const IssuedToken issued = issue();
        QVERIFY(issued.text.startsWith(u"abt_"_s + issued.record.id + u'_'));
        QCOMPARE(issued.text.size(), 60);
        QCOMPARE(issued.record.id.size(), 12);
        QCOMPARE(issued.record.secretSha256.size(), 64);
        QVERIFY(!issued.text.contains(issued.record.secretSha256));
        QCOMPARE(issued.record.expiresAt, t0 + std::chrono::days(30));

        QString error;
        const auto presented = ApiTokens::parse(issued.text, &error);
        QVERIFY2(presented, qPrintable(error));
        QCOMPARE(presented->id, issued.record.id);
        QCOMPARE(presented->secret.size(), 32);
        QCOMPARE(ApiTokens::hashOf(presented->secret), issued.record.secretSha256);
        QVERIFY(ApiTokens::secretMatches(issued.record, presented->secret));
        QByteArray flipped = presented->secret;
        flipped[31] = char(flipped[31] ^ 1);
        QVERIFY(!ApiTokens::secretMatches(issued.record, flipped));
        ApiToken damaged = issued.record;
        damaged.secretSha256 = u"not hex"_s;
        QVERIFY(!ApiTokens::secretMatches(damaged, presented->secret));
    }

    void everyTokenIsNew()
    {
        QSet<QString> ids;
        QSet<QString> texts;
        for (int i = 0; i < 2000; ++i) {
            const IssuedToken t = issue();
            ids.insert(t.record.id);
            texts.insert(t.text);
        }
        QCOMPARE(texts.size(), 2000);
        QVERIFY(ids.size() >= 1999); // 48 random bits: a repeat among 2,000 has odds of 1 in 140 million
    }

    void theVerdictNamesWhatIsWrong()
    {
        const IssuedToken issued = issue(std::chrono::hours(2));
        QString error;
        const auto presented = ApiTokens::parse(issued.text, &error);
        QCOMPARE(ApiTokens::verify(issued.record, *presented, t0), TokenVerdict::Valid);
        QCOMPARE(ApiTokens::verify(std::nullopt, *presented, t0), TokenVerdict::Unknown);
        QCOMPARE(ApiTokens::verify(issued.record, *presented, t0 + std::chrono::hours(2)), TokenVerdict::Expired);
        ApiToken revoked = issued.record;
        revoked.revokedAt = t0 + Duration { 1 };
        QCOMPARE(ApiTokens::verify(revoked, *presented, t0 + Duration { 2 }), TokenVerdict::Revoked);
        const auto other = ApiTokens::parse(issue().text, &error);
        QCOMPARE(ApiTokens::verify(issued.record, *other, t0), TokenVerdict::Unknown);
    }

    void malformedTextsAreRefusedWithAReason_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<QString>("reason");
        const QString good = issue().text;
        const QString id = good.mid(4, 12);
        const QString secret = good.mid(17);
        QTest::addRow("empty") << QString() << u"does not start with abt_"_s;
        QTest::addRow("prefix only") << u"abt_"_s << u"followed by an id"_s;
        QTest::addRow("upper case prefix") << good.toUpper() << u"does not start with abt_"_s;
        QTest::addRow("no secret") << u"abt_"_s + id << u"followed by an id"_s;
        QTest::addRow("empty secret") << u"abt_"_s + id + u"_"_s << u"damaged"_s;
        QTest::addRow("short id") << u"abt_1a2b_"_s + secret << u"8 or more lowercase hex"_s;
        QTest::addRow("upper case id") << u"abt_"_s + id.toUpper() + u"_"_s + secret << u"lowercase hex"_s;
        QTest::addRow("secret cut") << good.chopped(1) << u"damaged"_s;
        QTest::addRow("secret longer") << good + u"A"_s << u"damaged"_s;
        QTest::addRow("padding") << good + u"="_s << u"damaged"_s;
        QTest::addRow("base64 not url") << u"abt_"_s + id + u"_"_s
                + QString(secret).replace(u'-', u'+').replace(u'_', u'/').replace(0, 1, u"+"_s)
                                        << u"damaged"_s;
        QTest::addRow("unicode") << u"abt_"_s + id + u"_"_s + secret.left(42) + u"é"_s << u"damaged"_s;
        QTest::addRow("space") << u" "_s + good << u"does not start with abt_"_s;
        QTest::addRow("newline") << good.left(30) + u"\n"_s + good.mid(31) << u"damaged"_s;
        QTest::addRow("nul") << good.left(30) + QChar(0) + good.mid(31) << u"damaged"_s;
        QTest::addRow("1 MiB") << u"abt_"_s + id + u"_"_s + QString(1 << 20, u'A') << u"not an Antibody token"_s;
    }

    void malformedTextsAreRefusedWithAReason()
    {
        QFETCH(QString, text);
        QFETCH(QString, reason);
        QString error;
        QVERIFY(!ApiTokens::parse(text, &error));
        QVERIFY2(error.contains(reason), qPrintable(error));
        QVERIFY(error.size() < 300);
        if (text.size() > 20)
            QVERIFY2(!error.contains(text.mid(17, 20)), qPrintable(error)); // never the secret
    }

    void lifetimesAreBounded_data()
    {
        QTest::addColumn<QString>("text");
        QTest::addColumn<qint64>("hours"); // -1: refused
        QTest::addColumn<QString>("reason");
        QTest::addRow("30d") << u"30d"_s << qint64(720) << QString();
        QTest::addRow("12h") << u"12h"_s << qint64(12) << QString();
        QTest::addRow("90d, the maximum") << u"90d"_s << qint64(2160) << QString();
        QTest::addRow("91d") << u"91d"_s << qint64(-1) << u"longer than a token may live (90d"_s;
        QTest::addRow("ten years") << u"3650d"_s << qint64(-1) << u"longer than a token may live"_s;
        QTest::addRow("zero") << u"0d"_s << qint64(-1) << u"too short"_s;
        QTest::addRow("bare 0") << u"0"_s << qint64(-1) << u"is not a duration"_s;
        QTest::addRow("30s") << u"30s"_s << qint64(-1) << u"too short"_s;
        QTest::addRow("negative") << u"-5d"_s << qint64(-1) << u"is not a duration"_s;
        QTest::addRow("years") << u"10y"_s << qint64(-1) << u"is not a duration"_s;
        QTest::addRow("words") << u"forever"_s << qint64(-1) << u"is not a duration"_s;
        QTest::addRow("huge") << u"99999999999999999999d"_s << qint64(-1) << u"not a duration"_s;
    }

    void lifetimesAreBounded()
    {
        QFETCH(QString, text);
        QFETCH(qint64, hours);
        QFETCH(QString, reason);
        QString error;
        const auto lifetime = ApiTokens::parseLifetime(text, &error);
        if (hours < 0) {
            QVERIFY(!lifetime);
            QVERIFY2(error.contains(reason), qPrintable(error));
        } else {
            QVERIFY2(lifetime, qPrintable(error));
            QCOMPARE(*lifetime, std::chrono::hours(hours));
        }
    }

    void subjectsAndGroupsAreNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("problem"); // empty: accepted
        QTest::addRow("plain") << u"alice"_s << QString();
        QTest::addRow("mail") << u"alice.smith+oncall@example.org"_s << QString();
        QTest::addRow("accents") << u"zoë"_s << QString();
        QTest::addRow("cjk") << u"运维"_s << QString();
        QTest::addRow("empty") << QString() << u"is empty"_s;
        QTest::addRow("comma") << u"alice,bob"_s << u"holds ','"_s;
        QTest::addRow("space") << u"alice smith"_s << u"holds ' '"_s;
        QTest::addRow("newline") << u"alice\nbob"_s << u"U+000A"_s;
        QTest::addRow("nul") << u"alice"_s + QChar(0) << u"U+0000"_s;
        QTest::addRow("rtl override") << u"alice\u202Eevil"_s << u"U+202E"_s;
        QTest::addRow("129 characters") << QString(129, u'a') << u"at most 128"_s;
    }

    void subjectsAndGroupsAreNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, problem);
        const QString subject = ApiTokens::subjectProblem(name);
        const QString groups = ApiTokens::groupsProblem({ u"oncall"_s, name });
        QVERIFY2(problem.isEmpty() ? subject.isEmpty() : subject.contains(problem), qPrintable(subject));
        QVERIFY2(problem.isEmpty() ? groups.isEmpty() : groups.contains(problem), qPrintable(groups));
        for (const QChar c : subject) // the message quotes the name, but no character that could drive a terminal
            QVERIFY2(c.isPrint() || c == u' ', qPrintable(subject));
    }

    void tooManyGroupsAreRefused()
    {
        QStringList groups;
        for (int i = 0; i < 33; ++i)
            groups << u"g%1"_s.arg(i);
        QVERIFY(ApiTokens::groupsProblem(groups).contains(u"at most 32"_s));
        groups.removeLast();
        QVERIFY(ApiTokens::groupsProblem(groups).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestApiToken)
#include "tst_apitoken.moc"
