#pragma once

#include "engine/runbook/diagnosticreport.h"
#include "engine/runbook/lineindex.h"
#include "engine/runbook/yamlnode.h"

#include <QByteArray>
#include <memory>

namespace antibody {

// Most nodes one file may hold, and most an alias may expand it to. A runbook has a
// few hundred; these bound memory and time for any input.
constexpr int maxYamlNodes = 100'000;

// Parses the bytes of one runbook file (already checked by prescanYaml) into a tree.
// Returns nullptr when there is no usable tree: a syntax error, several documents, an
// empty file, a recursive alias or an alias bomb. Duplicate keys are reported here and
// kept out of the tree's values. Never throws.
std::shared_ptr<const YamlNode> parseYaml(const QByteArray &utf8, const LineIndex &index, DiagnosticReport &report);

} // namespace antibody
