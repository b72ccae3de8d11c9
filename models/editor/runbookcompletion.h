#pragma once

#include <QList>
#include <QString>

namespace antibody {

struct CompletionItem
{
    QString text; // what the list shows and filters on
    QString insert; // what replaces the typed prefix: "action: " for a key
    QString detail; // one line beside it: the key's meaning, the action's tier
};

// What may be typed at a position in a runbook, from the runbook format (keys, their
// choices) and the action catalog (action names, each action's parameters and
// their values, the facts and outcomes conditions can test).
struct Completion
{
    QString what; // "keys of a step", "actions", "parameters of terminate_connections"...
    QString prefix; // typed so far
    qsizetype replaceStart = 0;
    QList<CompletionItem> items; // those that start with the prefix, in a stable order

    bool isEmpty() const { return items.isEmpty(); }
    QStringList texts() const;
};

class RunbookCompletion
{
public:
    static Completion at(const QString &text, qsizetype offset);
};

} // namespace antibody
