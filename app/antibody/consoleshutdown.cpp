#include "consoleshutdown.h"

#include "ui/editor/editorview.h"
#include "ui/mainwindow.h"

#include <QTextStream>

namespace antibody {

ConsoleShutdown::ConsoleShutdown(MainWindow *window, Exit exit)
    : m_window(window)
    , m_exit(std::move(exit))
{
    connect(&m_signals, &StopSignals::received, this, &ConsoleShutdown::shutDown);
}

void ConsoleShutdown::shutDown(int signal)
{
    QTextStream(stderr) << "antibody: " << StopSignals::name(signal) << ": closing\n";
    if (EditorView *editor = m_window->editor()) {
        editor->setAsker([](EditorView::Question q, const QString &) {
            return q == EditorView::Question::UnsavedChanges ? EditorView::Answer::Discard
                                                             : EditorView::Answer::KeepMine;
        });
    }
    m_window->close();
    m_exit(0);
}

} // namespace antibody
