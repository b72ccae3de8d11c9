#pragma once

#include <QObject>

#include <csignal>
#include <memory>

class QSocketNotifier;

namespace antibody::ctl {

// SIGINT and SIGTERM as a Qt signal, for a headless run that must stop cleanly:
// the handler only writes the signal's number to a pipe (all it may safely do),
// and a QSocketNotifier on the pipe's other end emits `received` on this
// object's thread, from the event loop. One at a time per process; the previous
// handlers come back when it is destroyed.
class StopSignals : public QObject
{
    Q_OBJECT
public:
    explicit StopSignals(QObject *parent = nullptr);
    ~StopSignals() override;

    // False when the pipe or the handlers could not be set up (`error()` says why).
    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    // "SIGINT", "SIGTERM".
    static QString name(int signal);

Q_SIGNALS:
    void received(int signal);

private:
    void drain();

    int m_pipe[2] = { -1, -1 };
    struct sigaction m_previousInt {};
    struct sigaction m_previousTerm {};
    bool m_installed = false;
    std::unique_ptr<QSocketNotifier> m_notifier;
    QString m_error;
};

} // namespace antibody::ctl
