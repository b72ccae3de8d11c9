#include "engine/store/auditanchorkeeper.h"

#include "engine/store/auditanchor.h"
#include "engine/store/audittrail.h"
#include "engine/store/sqlitedatabase.h"
#include "engine/store/sqlitetransaction.h"
#include "engine/store/storeerror.h"

#include <QDateTime>
#include <QDeadlineTimer>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

qint64 monotonicMs()
{
    return QDeadlineTimer::current().deadline();
}

} // namespace

std::pair<qint64, QString> AuditAnchorKeeper::headOf(SqliteDatabase &db)
{
    auto &head = db.cached("SELECT seq, hash FROM audit_head WHERE id = 1");
    std::pair<qint64, QString> out { 0, {} };
    if (head.step())
        out = { head.integer(0), head.text(1) };
    head.reset();
    return out;
}

AuditAnchorKeeper::AuditAnchorKeeper(SqliteDatabase &db, std::function<void(const QString &)> fail)
    : m_db(db)
    , m_fail(std::move(fail))
{
}

void AuditAnchorKeeper::checkAtStart()
{
    const AuditAnchor::Check check = AuditAnchor::check(m_db, m_db.file());
    switch (check.state) {
    case AuditAnchor::Check::State::None:
    case AuditAnchor::Check::State::Holds:
        m_anchoredSeq = check.seq;
        keep(true);
        return;
    case AuditAnchor::Check::State::Unusable:
        // Left as found: it is evidence, and only a person can tell what happened.
        m_anchorFrozen = true;
        m_startWarnings << u"audit: the anchor %1. Nothing is anchored until a person looks: keep %2 and %3 as "
                           "evidence, then move them away"_s.arg(
                               check.problem, AuditAnchor::anchorFile(m_db.file()), AuditAnchor::keyFile(m_db.file()));
        return;
    case AuditAnchor::Check::State::Broken:
        break;
    }
    // The break goes into the chain itself, so that every later verify and export shows
    // it; then the anchor follows the chain as it is now.
    const TimePoint now = fromMillis(QDateTime::currentMSecsSinceEpoch());
    qint64 recordedAt = 0;
    try {
        SqliteTransaction tx(m_db);
        recordedAt = AuditTrail(m_db).append({ now, u"chain_restarted"_s, {},
            u"the audit chain restarted or was cut back: the anchor %1"_s.arg(check.problem),
            QJsonObject { { u"anchored_seq"_s, check.seq }, { u"anchored_hash"_s, check.hash },
                { u"anchored_at"_s, check.at } } });
        tx.commit();
    } catch (const StoreError &e) {
        m_startWarnings << u"audit: the anchor %1; the break could not be recorded: %2"_s.arg(
            check.problem, e.message());
        return;
    }
    const auto [seq, hash] = headOf(m_db);
    if (const QString error = AuditAnchor::reset(m_db.file(), seq, hash, now); !error.isEmpty())
        m_fail(u"could not move the audit anchor: %1"_s.arg(error));
    m_anchoredSeq = seq;
    m_anchoredAtMs = monotonicMs();
    m_startWarnings
        << u"audit: the anchor %1. Recorded as audit row %2; keep the earlier database as evidence if it still "
           "exists"_s.arg(check.problem)
               .arg(recordedAt);
}

void AuditAnchorKeeper::keep(bool decision)
{
    if (m_anchorFrozen || (!decision && monotonicMs() - m_anchoredAtMs < 1000))
        return;
    const auto [seq, hash] = headOf(m_db);
    if (seq <= m_anchoredSeq)
        return;
    const QString error = AuditAnchor::advance(m_db.file(), seq, hash, fromMillis(QDateTime::currentMSecsSinceEpoch()));
    if (!error.isEmpty()) {
        if (!std::exchange(m_anchorFailed, true))
            m_fail(u"could not move the audit anchor (the chain itself is stored): %1"_s.arg(error));
        return;
    }
    m_anchorFailed = false;
    m_anchoredSeq = seq;
    m_anchoredAtMs = monotonicMs();
}

} // namespace antibody
