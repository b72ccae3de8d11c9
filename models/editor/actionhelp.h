#pragma once

#include "engine/runbook/actioncatalog.h"

#include <QString>

namespace antibody {

// The help panel's text for one catalog action: tier, whether it changes
// anything (and on which blast-radius dimension), default timeout, parameters with
// their types, defaults and meaning, the facts it publishes, and its description.
// HTML for a QTextBrowser; the parameter under the cursor is marked.
class ActionHelp
{
public:
    static QString html(const ActionSpec &action, const QString &currentParam = {});
    // What the panel says when the cursor is in no step, or on an unknown action.
    static QString placeholder(const QString &unknownAction = {});
    // "approve tier: a human approves every run" ...: what a tier means for this runbook.
    static QString tierMeaning(Tier tier);
};

} // namespace antibody
