#pragma once

#include "engine/runbook/runbookloader.h"

#include <QObject>
#include <QTimer>

namespace antibody {

// Validation as you type: each change restarts a short timer (300 ms), and when
// typing pauses the text goes through the same loader `antibodyctl lint` and hot
// reload use (loadRunbookText), so the editor can never disagree with CI. That run
// happens on a worker thread (a 1 MiB runbook takes a fifth of a second), and its
// answer is dropped if the text changed meanwhile.
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
    // Validate now, on this thread (on open, and before a save, dry run or drill, which
    // need the verdict), cancelling a scheduled or running validation.
    const LoadResult &validateNow(const QString &text);

    const LoadResult &result() const { return m_result; }
    // A validation is scheduled or running: result() is about an older text.
    bool isPending() const { return m_timer.isActive() || m_running; }

Q_SIGNALS:
    void validated(const antibody::LoadResult &result);

private:
    void startWorker();
    void finish(quint64 generation, const LoadResult &result);

    QTimer m_timer;
    QString m_pending;
    QString m_fileName;
    LoadResult m_result;
    quint64 m_generation = 0; // bumped by every change: answers for older texts are dropped
    bool m_running = false;
};

} // namespace antibody
