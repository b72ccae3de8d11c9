#pragma once

#include "app/process/stopsignals.h"

#include <QCoreApplication>
#include <functional>

namespace antibody {

class MainWindow;

// The console's answer to SIGTERM (logout, `systemctl --user stop`), SIGHUP (its
// terminal went away) and SIGINT (Ctrl-C where it was started): the main window
// closes as its close button closes it, with its state saved, except that unsaved
// runbook edits are discarded instead of asked about: nobody is there to answer, and
// a session manager would kill a console that waits. Then the event loop ends with 0
// (a dialog open at that moment ends too), and main() stops the engine thread, which
// closes the store.
class ConsoleShutdown : public QObject
{
    Q_OBJECT
public:
    using Exit = std::function<void(int code)>;
    // `exit` ends the event loop; tests pass their own.
    explicit ConsoleShutdown(MainWindow *window, Exit exit = &QCoreApplication::exit);

    bool ok() const { return m_signals.ok(); }
    QString error() const { return m_signals.error(); }

private:
    void shutDown(int signal);

    MainWindow *m_window;
    Exit m_exit;
    StopSignals m_signals;
};

} // namespace antibody
