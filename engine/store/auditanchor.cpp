#include "engine/store/auditanchor.h"

#include "engine/core/boundedfile.h"
#include "engine/store/sqlitedatabase.h"

#include <QCryptographicHash>
#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMessageAuthenticationCode>
#include <QRandomGenerator>
#include <QSaveFile>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

constexpr qint64 maxAnchorBytes = 4096;

QByteArray mac(const QByteArray &key, qint64 seq, const QString &hash, const QString &at)
{
    return QMessageAuthenticationCode::hash(
        QByteArray::number(seq) + '|' + hash.toLatin1() + '|' + at.toUtf8(), key, QCryptographicHash::Sha256)
        .toHex();
}

bool writePrivate(const QString &path, const QByteArray &bytes, QString *error)
{
    QSaveFile out(path);
    if (!out.open(QIODevice::WriteOnly) || out.write(bytes) != bytes.size()
        || !out.setPermissions(QFile::ReadOwner | QFile::WriteOwner) || !out.commit()) {
        *error = u"%1: cannot write: %2"_s.arg(path, out.errorString());
        return false;
    }
    return true;
}

// The key, made on first use. Empty with `error` set when it exists but is unusable.
QByteArray key(const QString &databaseFile, bool create, QString *error)
{
    const QString path = AuditAnchor::keyFile(databaseFile);
    if (!QFile::exists(path)) {
        if (!create)
            return {};
        QByteArray fresh(32, Qt::Uninitialized);
        QRandomGenerator::system()->fillRange(reinterpret_cast<quint32 *>(fresh.data()), fresh.size() / 4);
        if (!writePrivate(path, fresh.toHex() + '\n', error))
            return {};
        return fresh.toHex();
    }
    const BoundedFile read = readBoundedFile(path, 256);
    const QByteArray k = read.bytes.trimmed();
    if (!read.ok() || k.size() != 64) {
        *error = u"cannot be checked: its key %1 is not 64 hex digits (%2); restore the key, or move both it "
                 "and %3 away to start anew"_s.arg(path, read.error.isEmpty() ? u"it was changed"_s : read.error,
                     AuditAnchor::anchorFile(databaseFile));
        return {};
    }
    return k;
}

QString write(const QString &databaseFile, qint64 seq, const QString &hash, TimePoint at)
{
    QString error;
    const QByteArray k = key(databaseFile, true, &error);
    if (k.isEmpty())
        return error;
    const QString when = formatTime(at);
    const QJsonObject anchor { { u"seq"_s, seq }, { u"hash"_s, hash }, { u"at"_s, when },
        { u"hmac"_s, QString::fromLatin1(mac(k, seq, hash, when)) } };
    writePrivate(
        AuditAnchor::anchorFile(databaseFile), QJsonDocument(anchor).toJson(QJsonDocument::Compact) + '\n', &error);
    return error;
}

} // namespace

QString AuditAnchor::anchorFile(const QString &databaseFile)
{
    return databaseFile + u"-anchor"_s;
}

QString AuditAnchor::keyFile(const QString &databaseFile)
{
    return databaseFile + u"-anchor.key"_s;
}

AuditAnchor::Check AuditAnchor::check(SqliteDatabase &db, const QString &databaseFile)
{
    Check out;
    const QString path = anchorFile(databaseFile);
    if (!QFile::exists(path))
        return out;
    out.state = Check::State::Unusable;
    const BoundedFile read = readBoundedFile(path, maxAnchorBytes);
    const QJsonObject anchor = QJsonDocument::fromJson(read.bytes).object();
    out.seq = anchor.value(u"seq"_s).toInteger();
    out.hash = anchor.value(u"hash"_s).toString();
    out.at = anchor.value(u"at"_s).toString();
    if (!read.ok() || out.seq <= 0 || out.hash.size() != 64) {
        out.problem = u"cannot be read: %1"_s.arg(
            read.ok() ? u"%1 is not an anchor; it was damaged or replaced"_s.arg(path) : read.error);
        return out;
    }
    QString error;
    const QByteArray k = key(databaseFile, false, &error);
    if (k.isEmpty()) {
        out.problem
            = error.isEmpty() ? u"cannot be checked: its key %1 was deleted"_s.arg(keyFile(databaseFile)) : error;
        return out;
    }
    if (mac(k, out.seq, out.hash, out.at) != anchor.value(u"hmac"_s).toString().toLatin1()) {
        out.problem = u"does not match its seal: %1 was edited"_s.arg(path);
        return out;
    }
    auto row = db.prepare(u"SELECT hash FROM audit WHERE seq = ?"_s);
    row.bind(1, out.seq);
    const bool present = row.step();
    const QString stored = present ? row.text(0) : QString();
    auto head = db.prepare(u"SELECT seq FROM audit_head WHERE id = 1"_s);
    const qint64 headSeq = head.step() ? head.integer(0) : 0;
    out.state = Check::State::Broken;
    if (!present) {
        out.problem = u"says the chain reached row %1 on %2, but it ends at row %3: it was cut back, or the database "
                      "was replaced (%4)"_s.arg(out.seq)
                          .arg(out.at)
                          .arg(headSeq)
                          .arg(path);
    } else if (stored != out.hash) {
        out.problem = u"says row %1 had another hash on %2: the chain was rewritten from there, or the database was "
                      "replaced (%3)"_s.arg(out.seq)
                          .arg(out.at, path);
    } else {
        out.state = Check::State::Holds;
    }
    return out;
}

QString AuditAnchor::advance(const QString &databaseFile, qint64 seq, const QString &hash, TimePoint at)
{
    const QJsonObject current
        = QJsonDocument::fromJson(readBoundedFile(anchorFile(databaseFile), maxAnchorBytes).bytes).object();
    if (current.value(u"seq"_s).toInteger() >= seq)
        return {};
    return write(databaseFile, seq, hash, at);
}

QString AuditAnchor::reset(const QString &databaseFile, qint64 seq, const QString &hash, TimePoint at)
{
    return write(databaseFile, seq, hash, at);
}

} // namespace antibody
