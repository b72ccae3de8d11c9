#include "ui/guardrailchecklist.h"

#include "ui/consolepalette.h"

#include <QGridLayout>
#include <QLabel>

using namespace Qt::StringLiterals;

namespace antibody {

GuardrailChecklist::GuardrailChecklist(QWidget *parent)
    : QWidget(parent)
    , m_grid(new QGridLayout(this))
{
    m_grid->setContentsMargins(0, 0, 0, 0);
    m_grid->setHorizontalSpacing(8);
    m_grid->setVerticalSpacing(2);
    m_grid->setColumnStretch(2, 1);
}

QString GuardrailChecklist::mark(GuardrailResult::Verdict verdict)
{
    switch (verdict) {
    case GuardrailResult::Verdict::Pass:
        return u"✓"_s;
    case GuardrailResult::Verdict::NeedsApproval:
        return u"!"_s;
    case GuardrailResult::Verdict::Block:
        return u"✗"_s;
    }
    return {};
}

QString GuardrailChecklist::ruleName(const QString &name)
{
    QString text = name;
    text.replace(u'_', u' ');
    if (!text.isEmpty())
        text[0] = text[0].toUpper();
    return text;
}

void GuardrailChecklist::setGuardrails(const QList<GuardrailResult> &guardrails)
{
    while (QLayoutItem *item = m_grid->takeAt(0)) {
        delete item->widget();
        delete item;
    }
    const ConsolePalette colours = ConsolePalette::from(palette());
    int row = 0;
    for (const GuardrailResult &g : guardrails) {
        const QColor colour = g.verdict == GuardrailResult::Verdict::Pass ? colours.ok
            : g.verdict == GuardrailResult::Verdict::Block                ? colours.blocked
                                                                          : colours.waiting;
        auto *markLabel = new QLabel(mark(g.verdict), this);
        markLabel->setStyleSheet(u"color: %1; font-weight: bold;"_s.arg(colour.name()));
        auto *name = new QLabel(ruleName(g.name), this);
        name->setObjectName(u"guardrail_"_s + g.name);
        if (g.verdict != GuardrailResult::Verdict::Pass)
            name->setStyleSheet(u"color: %1; font-weight: bold;"_s.arg(colour.name()));
        auto *reason = new QLabel(g.reason, this);
        reason->setObjectName(u"guardrailReason_"_s + g.name);
        reason->setWordWrap(true);
        reason->setTextInteractionFlags(Qt::TextSelectableByMouse);
        markLabel->setAccessibleName(verdictText(g.verdict));
        m_grid->addWidget(markLabel, row, 0, Qt::AlignTop);
        m_grid->addWidget(name, row, 1, Qt::AlignTop);
        m_grid->addWidget(reason, row, 2);
        ++row;
    }
    if (guardrails.isEmpty())
        m_grid->addWidget(new QLabel(tr("No guardrail was evaluated."), this), 0, 0, 1, 3);
}

} // namespace antibody
