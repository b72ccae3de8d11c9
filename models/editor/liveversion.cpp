#include "models/editor/liveversion.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QString versionTr(const char *text)
{
    return QCoreApplication::translate("antibody::LiveVersion", text);
}

} // namespace

bool LiveVersion::sameFile(const QString &a, const QString &b)
{
    return !a.isEmpty() && !b.isEmpty() && QFileInfo(a).absoluteFilePath() == QFileInfo(b).absoluteFilePath();
}

QByteArray LiveVersion::hashOfText(const QString &text)
{
    return QCryptographicHash::hash(text.toUtf8(), QCryptographicHash::Sha256);
}

QString LiveVersion::shortHash(const QByteArray &hash)
{
    return QString::fromLatin1(hash.toHex().left(12));
}

void LiveVersion::confirmInstalled(const QString &name, const QString &file, const QByteArray &hash)
{
    for (Runbook &r : m_live) {
        if (sameFile(r.file, file) || r.name == name) {
            r.name = name;
            r.file = file;
            r.sourceHash = hash;
            return;
        }
    }
    Runbook r;
    r.name = name;
    r.file = file;
    r.sourceHash = hash;
    m_live << r;
}

QByteArray LiveVersion::hashOf(const QString &file) const
{
    for (const Runbook &r : m_live) {
        if (sameFile(r.file, file))
            return r.sourceHash;
    }
    return {};
}

LiveVersion::State LiveVersion::state(const QString &file, const QByteArray &textHash) const
{
    const QByteArray live = hashOf(file);
    if (live.isEmpty())
        return State::NotLive;
    return live == textHash ? State::ThisText : State::OtherText;
}

QString LiveVersion::describe(const QString &file, const QByteArray &textHash) const
{
    const QString version = shortHash(hashOf(file));
    switch (state(file, textHash)) {
    case State::NotLive:
        return versionTr("The engine has no live version of this runbook.");
    case State::ThisText:
        return versionTr("Live in the engine: version %1, this text.").arg(version);
    case State::OtherText:
        return versionTr("Live in the engine: version %1, not this text (the last valid save).").arg(version);
    }
    return {};
}

} // namespace antibody
