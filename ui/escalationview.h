#pragma once

#include "models/present/escalationbrief.h"

#include <QWidget>

class QTextBrowser;

namespace antibody {

// The escalation brief for the human who was paged: why, what was tried, what
// was found, the alert. One button copies it as text for the incident ticket.
class EscalationView : public QWidget
{
    Q_OBJECT
public:
    explicit EscalationView(QWidget *parent = nullptr);

    void setBrief(const EscalationBrief &brief);
    const EscalationBrief &brief() const { return m_brief; }
    static QString toHtml(const EscalationBrief &brief);

private:
    EscalationBrief m_brief;
    QTextBrowser *m_text;
};

} // namespace antibody
