#pragma once

#include <QObject>
#include <array>
#include <csignal>
#include <memory>

class QSocketNotifier;

namespace antibody {

// SIGINT, SIGTERM and SIGHUP as a Qt signal, for a process that must stop cleanly
// (`antibodyctl run`; the console on logout or `systemctl --user stop`): the handler
// only writes the signal's number to a pipe (all it may safely do), and a
// QSocketNotifier on the pipe's other end emits `received` on this object's thread,
// from the event loop. One at a time per process; the previous handlers come back
// when it is destroyed.
class StopSignals : public QObject
{
    Q_OBJECT
public:
    explicit StopSignals(QObject *parent = nullptr);
    ~StopSignals() override;

    // False when the pipe or the handlers could not be set up (`error()` says why).
    bool ok() const { return m_error.isEmpty(); }
    QString error() const { return m_error; }
    // "SIGINT", "SIGTERM", "SIGHUP".
    static QString name(int signal);

Q_SIGNALS:
    void received(int signal);

private:
    void drain();

    static constexpr std::array<int, 3> s_handled { SIGINT, SIGTERM, SIGHUP };
    int m_pipe[2] = { -1, -1 };
    std::array<struct sigaction, s_handled.size()> m_previous {};
    std::size_t m_installed = 0; // how many of s_handled have our handler
    std::unique_ptr<QSocketNotifier> m_notifier;
    QString m_error;
};

} // namespace antibody
