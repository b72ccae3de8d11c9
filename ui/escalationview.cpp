#include "ui/escalationview.h"

#include <QApplication>
#include <QClipboard>
#include <QHBoxLayout>
#include <QPushButton>
#include <QTextBrowser>
#include <QVBoxLayout>

using namespace Qt::StringLiterals;

namespace antibody {

EscalationView::EscalationView(QWidget *parent)
    : QWidget(parent)
    , m_text(new QTextBrowser(this))
{
    m_text->setObjectName(u"escalationBrief"_s);
    m_text->setOpenLinks(false);
    auto *copy = new QPushButton(tr("Copy for the ticket"), this);
    copy->setObjectName(u"copyBriefButton"_s);
    connect(copy, &QPushButton::clicked, this, [this] { QApplication::clipboard()->setText(m_brief.toPlainText()); });
    auto *buttons = new QHBoxLayout;
    buttons->addStretch(1);
    buttons->addWidget(copy);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(m_text, 1);
    layout->addLayout(buttons);
}

QString EscalationView::toHtml(const EscalationBrief &brief)
{
    QString html = u"<h3>%1</h3>"_s.arg(brief.headline.toHtmlEscaped());
    for (const auto &section : brief.sections) {
        html += u"<p><b>%1</b></p><ul>"_s.arg(section.title.toHtmlEscaped());
        for (const QString &line : section.lines)
            html += u"<li>%1</li>"_s.arg(line.toHtmlEscaped());
        html += u"</ul>"_s;
    }
    return html;
}

void EscalationView::setBrief(const EscalationBrief &brief)
{
    m_brief = brief;
    m_text->setHtml(toHtml(brief));
}

} // namespace antibody
