#pragma once

#include "engine/domain/incident.h"
#include "engine/domain/proposal.h"
#include "models/present/executionprogress.h"

#include <QCoreApplication>
#include <QList>
#include <QString>
#include <QStringList>
#include <optional>

namespace antibody {

// What the human who is paged needs, in the order they need it: why they were
// called, what the automation did and did not do, what it found, and the alert.
// The seed's promise: the surgeon gets the X-ray before they scrub in.
struct EscalationBrief
{
    Q_DECLARE_TR_FUNCTIONS(EscalationBrief)

public:
    struct Section
    {
        QString title;
        QStringList lines;
    };

    QString headline; // "orders-db: escalated — data corruption is suspected"
    QList<Section> sections;

    // The runbook, when known, says what the diagnosis steps read (metric, window, unit).
    static EscalationBrief of(const Incident &incident, const std::optional<Proposal> &proposal,
        const ExecutionProgress &progress, const Runbook *runbook = nullptr);

    // For the clipboard and the ticket: headings, then indented lines.
    QString toPlainText() const;
};

} // namespace antibody
