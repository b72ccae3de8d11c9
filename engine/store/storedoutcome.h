#pragma once

#include "engine/domain/outcome.h"

#include <QString>
#include <optional>

namespace antibody {

class SqliteStatement;

// Outcomes and states as the store keeps them: stable identifiers (stepResultText,
// executionOutcomeText, incidentStateId), read back into the enums. NULL is "not yet".
namespace StoredOutcome {
// From a stored text; `stored` null: NULL, not yet.
std::optional<StepResult> step(const QString *stored);
std::optional<ExecutionOutcome> execution(const QString *stored);
std::optional<StepResult> step(const SqliteStatement &q, int column);
std::optional<ExecutionOutcome> execution(const SqliteStatement &q, int column);
} // namespace StoredOutcome

} // namespace antibody
