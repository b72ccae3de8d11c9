#pragma once

#include "engine/runbook/runbookloader.h"

#include <QObject>
#include <QTimer>

namespace antibody {

// Validation as you type: each change restarts a short timer (300 ms), and when
// typing pauses the text goes through the same loader `antibodyctl lint` and hot
// reload use (loadRunbookText), so the editor can never disagree with CI.
class LiveValidation : public QObject
{
    Q_OBJECT
public:
    static constexpr int defaultDelay = 300; // ms

    explicit LiveValidation(QObject *parent = nullptr);

    // The name diagnostics carry (the file's path, or "untitled.yaml").
    void setFileName(const QString &fileName) { m_fileName = fileName; }
    const QString &fileName() const { return m_fileName; }
    void setDelay(int ms) { m_timer.setInterval(ms); }

    // The text changed: validate once typing pauses.
    void schedule(const QString &text);
    // Validate now (on open and before a save), cancelling a scheduled run.
    const LoadResult &validateNow(const QString &text);

    const LoadResult &result() const { return m_result; }
    bool isPending() const { return m_timer.isActive(); }

Q_SIGNALS:
    void validated(const antibody::LoadResult &result);

private:
    QTimer m_timer;
    QString m_pending;
    QString m_fileName;
    LoadResult m_result;
};

} // namespace antibody
