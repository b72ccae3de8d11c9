#include "ui/editor/runbooktextedit.h"

#include "models/editor/runbookcompletion.h"
#include "models/editor/textlocator.h"
#include "ui/consolepalette.h"
#include "ui/editor/linenumbergutter.h"
#include "ui/editor/yamlhighlighter.h"

#include <QAbstractItemView>
#include <QCompleter>
#include <QFontDatabase>
#include <QHeaderView>
#include <QHelpEvent>
#include <QPainter>
#include <QScrollBar>
#include <QTextBlock>
#include <QToolTip>
#include <QTreeView>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

constexpr int indentWidth = 2;
constexpr int insertRole = Qt::UserRole;

int charactersBefore(const QString &text, qsizetype units)
{
    int n = 0;
    for (qsizetype i = 0; i < units && i < text.size(); ++i) {
        if (!text.at(i).isLowSurrogate())
            ++n;
    }
    return n;
}

} // namespace

int RunbookTextEdit::Marker::line() const
{
    return cursor.document()->findBlock(cursor.selectionStart()).blockNumber() + 1;
}

int RunbookTextEdit::Marker::column() const
{
    const QTextBlock block = cursor.document()->findBlock(cursor.selectionStart());
    return charactersBefore(block.text(), cursor.selectionStart() - block.position()) + 1;
}

RunbookTextEdit::RunbookTextEdit(QWidget *parent)
    : QPlainTextEdit(parent)
    , m_gutter(new LineNumberGutter(this))
    , m_highlighter(new YamlHighlighter(document()))
    , m_completer(new QCompleter(this))
{
    setObjectName(u"runbookText"_s);
    QFont font = QFontDatabase::systemFont(QFontDatabase::FixedFont);
    setFont(font);
    setLineWrapMode(QPlainTextEdit::NoWrap);
    setTabStopDistance(fontMetrics().horizontalAdvance(u' ') * indentWidth);

    auto *popup = new QTreeView;
    popup->setObjectName(u"completionPopup"_s);
    popup->setRootIsDecorated(false);
    popup->header()->hide();
    popup->setAlternatingRowColors(true);
    popup->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_completer->setModel(&m_completions);
    m_completer->setPopup(popup);
    m_completer->setWidget(this);
    m_completer->setCompletionMode(QCompleter::PopupCompletion);
    m_completer->setCaseSensitivity(Qt::CaseInsensitive);
    m_completer->setMaxVisibleItems(12);
    connect(
        m_completer, qOverload<const QModelIndex &>(&QCompleter::activated), this, &RunbookTextEdit::insertCompletion);

    connect(this, &QPlainTextEdit::blockCountChanged, this, &RunbookTextEdit::updateGutterWidth);
    connect(this, &QPlainTextEdit::updateRequest, this, &RunbookTextEdit::updateGutter);
    connect(this, &QPlainTextEdit::cursorPositionChanged, this, &RunbookTextEdit::refreshSelections);
    updateGutterWidth();
    refreshSelections();
}

SourceLocation RunbookTextEdit::cursorLocation() const
{
    const QTextCursor c = textCursor();
    const QTextBlock block = c.block();
    return { block.blockNumber() + 1, charactersBefore(block.text(), c.position() - block.position()) + 1 };
}

void RunbookTextEdit::jumpTo(int line, int column)
{
    const TextLocator locator(toPlainText());
    QTextCursor c(document());
    c.setPosition(static_cast<int>(locator.offsetOf(line, column)));
    setTextCursor(c);
    centerCursor();
    setFocus();
}

void RunbookTextEdit::setDiagnostics(const QList<Diagnostic> &diagnostics)
{
    const TextLocator locator(toPlainText());
    m_markers.clear();
    for (const Diagnostic &d : diagnostics) {
        if (d.line <= 0)
            continue; // about the whole file: the list says it, nothing to underline
        const TextLocator::Span span = locator.underline(locator.offsetOf(d.line, d.column));
        QTextCursor c(document());
        c.setPosition(static_cast<int>(span.start));
        c.setPosition(static_cast<int>(span.start + span.length), QTextCursor::KeepAnchor);
        m_markers << Marker { c, d };
    }
    refreshSelections();
    m_gutter->update();
}

void RunbookTextEdit::refreshSelections()
{
    const ConsolePalette colours = ConsolePalette::from(palette());
    QList<QTextEdit::ExtraSelection> selections;
    if (!isReadOnly()) {
        QTextEdit::ExtraSelection line;
        QColor background = palette().color(QPalette::Highlight);
        background.setAlpha(colours.dark ? 40 : 24);
        line.format.setBackground(background);
        line.format.setProperty(QTextFormat::FullWidthSelection, true);
        line.cursor = textCursor();
        line.cursor.clearSelection();
        selections << line;
    }
    for (const Marker &m : std::as_const(m_markers)) {
        if (!m.cursor.hasSelection())
            continue;
        QTextEdit::ExtraSelection s;
        s.cursor = m.cursor;
        s.format.setUnderlineStyle(QTextCharFormat::SpellCheckUnderline);
        s.format.setUnderlineColor(m.diagnostic.isError() ? colours.blocked : colours.waiting);
        selections << s;
    }
    setExtraSelections(selections);
}

int RunbookTextEdit::gutterWidth() const
{
    int digits = 1;
    for (int n = std::max(1, blockCount()); n >= 10; n /= 10)
        ++digits;
    return 14 + fontMetrics().horizontalAdvance(u'9') * std::max(3, digits);
}

void RunbookTextEdit::updateGutterWidth()
{
    setViewportMargins(gutterWidth(), 0, 0, 0);
}

void RunbookTextEdit::updateGutter(const QRect &rect, int dy)
{
    if (dy != 0)
        m_gutter->scroll(0, dy);
    else
        m_gutter->update(0, rect.y(), m_gutter->width(), rect.height());
    if (rect.contains(viewport()->rect()))
        updateGutterWidth();
}

void RunbookTextEdit::resizeEvent(QResizeEvent *event)
{
    QPlainTextEdit::resizeEvent(event);
    const QRect r = contentsRect();
    m_gutter->setGeometry(QRect(r.left(), r.top(), gutterWidth(), r.height()));
}

void RunbookTextEdit::paintGutter(QPaintEvent *event)
{
    QPainter painter(m_gutter);
    const ConsolePalette colours = ConsolePalette::from(palette());
    painter.fillRect(event->rect(), palette().color(QPalette::AlternateBase));
    QHash<int, bool> marked; // block number -> has an error
    for (const Marker &m : std::as_const(m_markers)) {
        const int block = m.line() - 1;
        marked[block] = marked.value(block) || m.diagnostic.isError();
    }
    const int current = textCursor().blockNumber();
    QTextBlock block = firstVisibleBlock();
    int top = qRound(blockBoundingGeometry(block).translated(contentOffset()).top());
    const int lineHeight = fontMetrics().height();
    while (block.isValid() && top <= event->rect().bottom()) {
        const int bottom = top + qRound(blockBoundingRect(block).height());
        if (block.isVisible() && bottom >= event->rect().top()) {
            const int number = block.blockNumber();
            if (marked.contains(number)) {
                painter.setPen(Qt::NoPen);
                painter.setBrush(marked.value(number) ? colours.blocked : colours.waiting);
                const int d = std::max(6, lineHeight / 2);
                painter.drawEllipse(3, top + (lineHeight - d) / 2, d, d);
            }
            painter.setPen(number == current ? palette().color(QPalette::Text) : colours.muted);
            painter.drawText(0, top, m_gutter->width() - 4, lineHeight, Qt::AlignRight, QString::number(number + 1));
        }
        block = block.next();
        top = bottom;
    }
}

bool RunbookTextEdit::event(QEvent *event)
{
    if (event->type() == QEvent::ToolTip) {
        const auto *help = static_cast<QHelpEvent *>(event);
        const int position = cursorForPosition(help->pos() - QPoint(viewportMargins().left(), 0)).position();
        QStringList texts;
        for (const Marker &m : std::as_const(m_markers)) {
            if (m.cursor.hasSelection() && position >= m.cursor.selectionStart()
                && position <= m.cursor.selectionEnd()) {
                const Diagnostic &d = m.diagnostic;
                texts << u"<b>%1</b> [%2] %3%4"_s.arg(severityText(d.severity), d.code, d.message.toHtmlEscaped(),
                    d.hint.isEmpty() ? QString() : u"<br><i>%1</i>"_s.arg(d.hint.toHtmlEscaped()));
            }
        }
        if (texts.isEmpty())
            QToolTip::hideText();
        else
            QToolTip::showText(help->globalPos(), texts.join(u"<hr>"_s), this);
        return true;
    }
    return QPlainTextEdit::event(event);
}

int RunbookTextEdit::complete(bool explicitRequest)
{
    const Completion c = RunbookCompletion::at(toPlainText(), textCursor().position());
    QAbstractItemView *popup = m_completer->popup();
    const bool onlyWhatIsTyped = c.items.size() == 1 && c.items.front().text == c.prefix;
    if (c.isEmpty() || (!explicitRequest && onlyWhatIsTyped)) {
        popup->hide();
        return 0;
    }
    m_completions.clear();
    m_completions.setColumnCount(2);
    for (const CompletionItem &item : c.items) {
        auto *name = new QStandardItem(item.text);
        name->setData(item.insert, insertRole);
        name->setToolTip(item.detail);
        auto *detail = new QStandardItem(item.detail);
        detail->setToolTip(item.detail);
        detail->setForeground(ConsolePalette::from(palette()).muted);
        m_completions.appendRow({ name, detail });
    }
    m_replaceStart = c.replaceStart;
    m_completer->setCompletionPrefix(c.prefix);
    auto *tree = static_cast<QTreeView *>(popup);
    tree->resizeColumnToContents(0);
    tree->setColumnWidth(1, 420);
    popup->setCurrentIndex(m_completer->completionModel()->index(0, 0));
    QRect rect = cursorRect();
    rect.translate(viewportMargins().left(), 0);
    rect.setWidth(tree->columnWidth(0) + tree->columnWidth(1) + popup->verticalScrollBar()->sizeHint().width());
    m_completer->complete(rect);
    return static_cast<int>(c.items.size());
}

void RunbookTextEdit::insertCompletion(const QModelIndex &index)
{
    const QString insert = index.sibling(index.row(), 0).data(insertRole).toString();
    if (insert.isEmpty())
        return;
    QTextCursor c = textCursor();
    c.setPosition(static_cast<int>(m_replaceStart), QTextCursor::KeepAnchor);
    c.insertText(insert);
    setTextCursor(c);
    m_completer->popup()->hide();
    // A key was put in: its values (the actions after `action: `) come next.
    if (insert.endsWith(u": "_s))
        complete(false);
}

bool RunbookTextEdit::shouldOfferAfter(const QString &typed) const
{
    if (typed.isEmpty())
        return false;
    const QChar last = typed.back();
    if (last.isLetterOrNumber() || last == u'_' || last == u'.')
        return true;
    if (last != u' ')
        return false;
    // "action: ", "- ", "{ ", ", ": the start of a value, an item or a key.
    const QTextCursor c = textCursor();
    const QString before = c.block().text().left(c.positionInBlock()).trimmed();
    return before.endsWith(u':') || before.endsWith(u'-') || before.endsWith(u'{') || before.endsWith(u',')
        || before.endsWith(u'[');
}

bool RunbookTextEdit::handleCompletionKey(QKeyEvent *event)
{
    QAbstractItemView *popup = m_completer->popup();
    if (!popup->isVisible())
        return false;
    switch (event->key()) {
    case Qt::Key_Tab:
        insertCompletion(
            popup->currentIndex().isValid() ? popup->currentIndex() : m_completer->completionModel()->index(0, 0));
        return true;
    case Qt::Key_Enter:
    case Qt::Key_Return:
    case Qt::Key_Escape:
    case Qt::Key_Backtab:
        event->ignore(); // the completer's popup takes these
        return true;
    default:
        return false;
    }
}

void RunbookTextEdit::newlineWithIndent()
{
    QTextCursor c = textCursor();
    const QString line = c.block().text().left(c.positionInBlock());
    int indent = 0;
    while (indent < line.size() && line.at(indent) == u' ')
        ++indent;
    const QString content = line.mid(indent);
    QString code = content;
    if (const qsizetype hash = code.indexOf(u" #"_s); hash >= 0)
        code = code.left(hash);
    code = code.trimmed();
    if (content.startsWith(u"- "_s))
        indent += indentWidth; // the item's next key lines up under its first
    if (code.endsWith(u':'))
        indent += indentWidth;
    c.insertText(u"\n"_s + QString(indent, u' '));
    setTextCursor(c);
}

void RunbookTextEdit::keyPressEvent(QKeyEvent *event)
{
    if (handleCompletionKey(event))
        return;
    const bool ctrl = event->modifiers().testFlag(Qt::ControlModifier);
    if (ctrl && event->key() == Qt::Key_Space) {
        complete(true);
        return;
    }
    if ((event->key() == Qt::Key_Return || event->key() == Qt::Key_Enter)
        && !event->modifiers().testFlag(Qt::ShiftModifier)) {
        newlineWithIndent();
        return;
    }
    if (event->key() == Qt::Key_Tab && !textCursor().hasSelection()) {
        const int column = textCursor().positionInBlock();
        insertPlainText(QString(indentWidth - column % indentWidth, u' '));
        return;
    }
    if (event->key() == Qt::Key_Backtab) {
        QTextCursor c = textCursor();
        c.movePosition(QTextCursor::StartOfBlock);
        const QString text = c.block().text();
        int spaces = 0;
        while (spaces < indentWidth && spaces < text.size() && text.at(spaces) == u' ')
            ++spaces;
        c.movePosition(QTextCursor::Right, QTextCursor::KeepAnchor, spaces);
        c.removeSelectedText();
        return;
    }
    QPlainTextEdit::keyPressEvent(event);
    const QString typed = event->text();
    if (shouldOfferAfter(typed))
        complete(false);
    else if (m_completer->popup()->isVisible())
        m_completer->popup()->hide();
}

} // namespace antibody
