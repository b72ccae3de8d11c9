#pragma once

#include "engine/runbook/runbook.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace antibody {

// Which version of a runbook file the engine runs, told against the text in the
// editor. The engine's list (from the console's models) is the truth; an install
// the engine just confirmed counts until that list catches up.
class LiveVersion
{
public:
    enum class State {
        NotLive, // the engine has no runbook from this file
        ThisText, // the engine runs exactly the text in the editor
        OtherText, // the engine runs another version (the last valid save)
    };

    void setLive(const QList<Runbook> &live) { m_live = live; }
    // The engine confirmed it runs this version of the file.
    void confirmInstalled(const QString &name, const QString &file, const QByteArray &hash);

    // The live version of `file` (absolute path); empty when none.
    QByteArray hashOf(const QString &file) const;
    State state(const QString &file, const QByteArray &textHash) const;
    // "Live in the engine: version 1a2b3c4d5e6f, this text." ...
    QString describe(const QString &file, const QByteArray &textHash) const;

    static QByteArray hashOfText(const QString &text); // SHA-256 of its UTF-8: what the loader computes
    static QString shortHash(const QByteArray &hash); // the first 12 hex digits
    static bool sameFile(const QString &a, const QString &b);

private:
    QList<Runbook> m_live;
};

} // namespace antibody
