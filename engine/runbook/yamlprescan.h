#pragma once

#include "engine/runbook/diagnosticreport.h"
#include "engine/runbook/lineindex.h"

#include <QByteArray>

namespace antibody {

// Deepest nesting of collections a runbook may use (a runbook needs about 6).
constexpr int maxYamlDepth = 32;

// Checks the raw bytes before yaml-cpp sees them: valid UTF-8 without control
// characters, no tab indentation, and nesting (block and flow) no deeper than
// maxYamlDepth, because yaml-cpp 0.7 recurses once per level. Returns false when the
// text must not be parsed; the reasons are in `report`.
bool prescanYaml(const QByteArray &bytes, const LineIndex &index, DiagnosticReport &report);

} // namespace antibody
