#include "app/process/stopsignals.h"

#include <QSocketNotifier>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <unistd.h>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// The write end, for the handler: a plain int is all a signal handler may read.
volatile std::sig_atomic_t g_writeEnd = -1;

void onSignal(int signal)
{
    const int saved = errno;
    const char byte = static_cast<char>(signal);
    // A full pipe means a stop is already on its way: dropping this byte is fine.
    [[maybe_unused]] const ssize_t written = ::write(g_writeEnd, &byte, 1);
    errno = saved;
}

} // namespace

StopSignals::StopSignals(QObject *parent)
    : QObject(parent)
{
    if (::pipe2(m_pipe, O_CLOEXEC | O_NONBLOCK) != 0) {
        m_error = u"cannot create the pipe for SIGINT/SIGTERM/SIGHUP: %1"_s.arg(
            QString::fromLocal8Bit(std::strerror(errno)));
        return;
    }
    g_writeEnd = m_pipe[1];
    m_notifier = std::make_unique<QSocketNotifier>(m_pipe[0], QSocketNotifier::Read);
    connect(m_notifier.get(), &QSocketNotifier::activated, this, &StopSignals::drain);

    struct sigaction action
    {
    };
    action.sa_handler = onSignal;
    sigemptyset(&action.sa_mask);
    action.sa_flags = SA_RESTART; // other system calls carry on; the event loop sees the pipe
    for (; m_installed < s_handled.size(); ++m_installed) {
        if (::sigaction(s_handled[m_installed], &action, &m_previous[m_installed]) != 0) {
            m_error = u"cannot handle %1: %2"_s.arg(
                name(s_handled[m_installed]), QString::fromLocal8Bit(std::strerror(errno)));
            return;
        }
    }
}

StopSignals::~StopSignals()
{
    for (std::size_t i = 0; i < m_installed; ++i)
        ::sigaction(s_handled[i], &m_previous[i], nullptr);
    m_notifier.reset();
    g_writeEnd = -1;
    for (int fd : m_pipe) {
        if (fd >= 0)
            ::close(fd);
    }
}

QString StopSignals::name(int signal)
{
    switch (signal) {
    case SIGINT:
        return u"SIGINT"_s;
    case SIGTERM:
        return u"SIGTERM"_s;
    case SIGHUP:
        return u"SIGHUP"_s;
    default:
        return u"signal %1"_s.arg(signal);
    }
}

void StopSignals::drain()
{
    char bytes[16];
    const ssize_t n = ::read(m_pipe[0], bytes, sizeof bytes);
    for (ssize_t i = 0; i < n; ++i)
        Q_EMIT received(bytes[i]);
}

} // namespace antibody
