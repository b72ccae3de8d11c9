#include "tokencontract.h"

#include "storefixtures.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;

namespace antibody {

using fixtures::at;

namespace {

ApiToken tokenFor(
    const QString &subject, int createdAt = 0, Duration lifetime = ApiTokens::defaultLifetime, QStringList groups = {})
{
    return ApiTokens::issue(subject, groups, u"root"_s, at(createdAt), lifetime).record;
}

QList<AuditLog::StoredEvent> tokenEvents(Store &store)
{
    QList<AuditLog::StoredEvent> out;
    for (const AuditLog::StoredEvent &e : store.eventsAfter(0, 500)) {
        if (e.kind.startsWith(u"token_"_s))
            out << e;
    }
    return out;
}

#define SKIP_WITHOUT_DATABASE(b)                                                                                       \
    if (!(b).store->hasDatabase())                                                                                     \
    QSKIP("MemoryTokens has no database underneath")

} // namespace

TokenContract::TokenContract(std::vector<TokenBackend> backends)
    : m_backends(std::move(backends))
{
}

TokenContract::~TokenContract() = default;

void TokenContract::backends_data()
{
    QTest::addColumn<int>("backend");
    for (size_t i = 0; i < m_backends.size(); ++i)
        QTest::addRow("%s", qPrintable(m_backends[i].store->name())) << int(i);
}

TokenBackend &TokenContract::backend()
{
    QFETCH(int, backend);
    return m_backends.at(size_t(backend));
}

// Everything a record holds comes back as written, by id and in the list, and after
// the process that wrote it stopped; a presented token is checked against it.
void TokenContract::aTokenIsStoredAndReadBackAfterARestart()
{
    TokenBackend &b = backend();
    auto tokens = b.tokensOn(b.store->fresh());
    const IssuedToken issued
        = ApiTokens::issue(u"zoë"_s, { u"oncall"_s, u"运维"_s }, u"root"_s, at(0), std::chrono::days(7));
    const TokenWrite written = tokens->createToken(issued.record);
    QVERIFY2(written.done, qPrintable(written.reason));
    QVERIFY(tokens->createToken(tokenFor(u"bob"_s, 5)).done);

    if (b.store->hasDatabase()) {
        tokens.reset();
        tokens = b.tokensOn(b.store->restart());
    }
    const auto found = tokens->findToken(issued.record.id);
    QVERIFY(found);
    QCOMPARE(found->subject, u"zoë"_s);
    QCOMPARE(found->groups, (QStringList { u"oncall"_s, u"运维"_s }));
    QCOMPARE(found->secretSha256, issued.record.secretSha256);
    QCOMPARE(found->createdAt, at(0));
    QCOMPARE(found->createdBy, u"root"_s);
    QCOMPARE(found->expiresAt, at(0) + std::chrono::days(7));
    QVERIFY(!found->revoked());
    QVERIFY(!tokens->findToken(u"0123456789ab"_s));

    const QList<ApiToken> all = tokens->tokens();
    QCOMPARE(all.size(), 2);
    QCOMPARE(all.front().subject, u"zoë"_s); // oldest first
    QCOMPARE(all.back().subject, u"bob"_s);

    QString error;
    const auto presented = ApiTokens::parse(issued.text, &error);
    QVERIFY2(presented, qPrintable(error));
    QCOMPARE(ApiTokens::verify(tokens->findToken(presented->id), *presented, at(60)), TokenVerdict::Valid);
    // The right id with another secret is no better than an unknown id.
    auto forged = ApiTokens::parse(ApiTokens::issue(u"zoë"_s, {}, u"root"_s, at(0), std::chrono::days(7)).text, &error);
    QVERIFY(forged);
    forged->id = presented->id;
    QCOMPARE(ApiTokens::verify(tokens->findToken(forged->id), *forged, at(60)), TokenVerdict::Unknown);
    QVERIFY(b.store->failures().isEmpty());
}

// The store holds the secret's SHA-256 only; the audit trail names the token's id and
// subject and who created it, never the secret, nor its hash.
void TokenContract::theSecretIsNeverStoredNorAudited()
{
    TokenBackend &b = backend();
    Store &store = b.store->fresh();
    auto tokens = b.tokensOn(store);
    const IssuedToken issued = ApiTokens::issue(u"alice"_s, {}, u"root"_s, at(0), ApiTokens::defaultLifetime);
    QVERIFY(tokens->createToken(issued.record).done);
    const QString secret = issued.text.section(u'_', 2); // base64url may hold '_': everything after the id
    QCOMPARE(secret.size(), 43);

    const QList<AuditLog::StoredEvent> events = tokenEvents(store);
    QCOMPARE(events.size(), 1);
    QCOMPARE(events.front().kind, u"token_created"_s);
    QVERIFY2(events.front().detail.contains(issued.record.id) && events.front().detail.contains(u"alice"_s)
            && events.front().detail.contains(u"root"_s),
        qPrintable(events.front().detail));
    QCOMPARE(events.front().data.value(u"token"_s).toString(), issued.record.id);
    QCOMPARE(events.front().data.value(u"subject"_s).toString(), u"alice"_s);
    for (const AuditLog::StoredEvent &e : events) {
        const QString all = e.detail + QString::fromUtf8(QJsonDocument(e.data).toJson());
        QVERIFY(!all.contains(secret));
        QVERIFY(!all.contains(issued.record.secretSha256));
    }

    SKIP_WITHOUT_DATABASE(b);
    b.store->flush();
    QVERIFY(b.store->holds(issued.record.id));
    QVERIFY(b.store->holds(issued.record.secretSha256));
    QVERIFY(!b.store->holds(secret));
    QVERIFY(!b.store->holds(issued.text));
    QVERIFY2(b.store->verify().isEmpty(), qPrintable(b.store->verify()));
}

// A second token that drew the same id is refused; the first keeps its row.
void TokenContract::aTakenIdIsRefusedNotOverwritten()
{
    TokenBackend &b = backend();
    auto tokens = b.tokensOn(b.store->fresh());
    const ApiToken first = tokenFor(u"alice"_s);
    QVERIFY(tokens->createToken(first).done);
    ApiToken second = tokenFor(u"mallory"_s, 10);
    second.id = first.id;
    const TokenWrite refused = tokens->createToken(second);
    QVERIFY(!refused.done);
    QCOMPARE(refused.reason, TokenRecords::idTaken(first.id));
    QCOMPARE(tokens->findToken(first.id)->subject, u"alice"_s);
    QCOMPARE(tokens->findToken(first.id)->secretSha256, first.secretSha256);
    QCOMPARE(tokens->tokens().size(), 1);
}

// Revoked once, by whom and when; a second revocation and an unknown id are refused
// with the reason; both writes are in the audit chain, which still verifies.
void TokenContract::aRevocationIsFinalAndAudited()
{
    TokenBackend &b = backend();
    Store &store = b.store->fresh();
    auto tokens = b.tokensOn(store);
    const IssuedToken issued = ApiTokens::issue(u"alice"_s, {}, u"root"_s, at(0), ApiTokens::defaultLifetime);
    QVERIFY(tokens->createToken(issued.record).done);
    QVERIFY(tokens->revokeToken(issued.record.id, u"carol"_s, at(30)).done);

    const auto revoked = tokens->findToken(issued.record.id);
    QVERIFY(revoked && revoked->revoked());
    QCOMPARE(*revoked->revokedAt, at(30));
    QCOMPARE(revoked->revokedBy, u"carol"_s);
    QString error;
    const auto presented = ApiTokens::parse(issued.text, &error);
    QCOMPARE(ApiTokens::verify(revoked, *presented, at(31)), TokenVerdict::Revoked);

    const TokenWrite again = tokens->revokeToken(issued.record.id, u"dave"_s, at(40));
    QVERIFY(!again.done);
    QVERIFY2(again.reason.contains(u"revoked already, by carol"_s), qPrintable(again.reason));
    QCOMPARE(tokens->findToken(issued.record.id)->revokedBy, u"carol"_s);
    const TokenWrite unknown = tokens->revokeToken(u"0123456789ab"_s, u"carol"_s, at(40));
    QVERIFY(!unknown.done);
    QCOMPARE(unknown.reason, TokenRecords::noSuchToken(u"0123456789ab"_s));

    const QList<AuditLog::StoredEvent> events = tokenEvents(store);
    QCOMPARE(events.size(), 2);
    QCOMPARE(events.back().kind, u"token_revoked"_s);
    QCOMPARE(events.back().at, at(30));
    QCOMPARE(events.back().data.value(u"revoked_by"_s).toString(), u"carol"_s);
    QVERIFY2(events.back().detail.contains(u"carol revoked the API token abt_%1"_s.arg(issued.record.id)),
        qPrintable(events.back().detail));
    QVERIFY2(b.store->verify().isEmpty(), qPrintable(b.store->verify()));
}

// A token is valid until the expiry stored with it, to the millisecond.
void TokenContract::expiryIsTheStoredOne()
{
    TokenBackend &b = backend();
    auto tokens = b.tokensOn(b.store->fresh());
    const IssuedToken issued = ApiTokens::issue(u"alice"_s, {}, u"root"_s, at(0), std::chrono::hours(1));
    QVERIFY(tokens->createToken(issued.record).done);
    QString error;
    const auto presented = ApiTokens::parse(issued.text, &error);
    const auto stored = tokens->findToken(presented->id);
    const TimePoint end = at(0) + std::chrono::hours(1);
    QCOMPARE(ApiTokens::verify(stored, *presented, end - Duration { 1 }), TokenVerdict::Valid);
    QCOMPARE(ApiTokens::verify(stored, *presented, end), TokenVerdict::Expired);
}

// Around the store, straight at the database: no row is deleted, no expiry extended,
// no secret swapped, no revocation undone.
void TokenContract::theSchemaRefusesEditsAndDeletions()
{
    TokenBackend &b = backend();
    SKIP_WITHOUT_DATABASE(b);
    auto tokens = b.tokensOn(b.store->fresh());
    const ApiToken t = tokenFor(u"alice"_s);
    QVERIFY(tokens->createToken(t).done);
    const struct
    {
        QString sql;
        QString refusal;
    } edits[] = {
        { u"DELETE FROM api_tokens"_s, u"rows of api_tokens cannot be deleted"_s },
        { u"UPDATE api_tokens SET expires_at = expires_at + 86400000"_s, u"only gets revoked, once"_s },
        { u"UPDATE api_tokens SET secret_sha256 = 'x'"_s, u"only gets revoked, once"_s },
        { u"UPDATE api_tokens SET subject = 'mallory'"_s, u"only gets revoked, once"_s },
    };
    for (const auto &edit : edits) {
        const QString error = b.store->rawExec(edit.sql);
        QVERIFY2(error.contains(edit.refusal), qPrintable(edit.sql + u": "_s + error));
    }
    QVERIFY(tokens->revokeToken(t.id, u"carol"_s, at(10)).done);
    const QString undo = b.store->rawExec(u"UPDATE api_tokens SET revoked_at = NULL, revoked_by = NULL"_s);
    QVERIFY2(undo.contains(u"only gets revoked, once"_s), qPrintable(undo));
    QCOMPARE(b.store->scalar(u"SELECT count(*) FROM api_tokens WHERE revoked_at IS NOT NULL"_s), 1);
    QCOMPARE(tokens->findToken(t.id)->expiresAt, t.expiresAt);
}

} // namespace antibody
