#pragma once

#include "engine/domain/guardrail.h"

#include <QList>
#include <QWidget>

class QGridLayout;

namespace antibody {

// The guardrails the engine checked, one line each: a mark, the rule, and the
// engine's reason. A block is red and first in the eye; "needs approval" amber.
class GuardrailChecklist : public QWidget
{
    Q_OBJECT
public:
    explicit GuardrailChecklist(QWidget *parent = nullptr);

    void setGuardrails(const QList<GuardrailResult> &guardrails);

    static QString mark(GuardrailResult::Verdict verdict);
    // "blast_radius" -> "Blast radius"
    static QString ruleName(const QString &name);

private:
    QGridLayout *m_grid;
};

} // namespace antibody
