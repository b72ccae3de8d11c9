#include "ui/editor/linenumbergutter.h"

#include "ui/editor/runbooktextedit.h"

namespace antibody {

LineNumberGutter::LineNumberGutter(RunbookTextEdit *editor)
    : QWidget(editor)
    , m_editor(editor)
{
    setObjectName(QStringLiteral("lineNumbers"));
}

QSize LineNumberGutter::sizeHint() const
{
    return { m_editor->gutterWidth(), 0 };
}

void LineNumberGutter::paintEvent(QPaintEvent *event)
{
    m_editor->paintGutter(event);
}

} // namespace antibody
