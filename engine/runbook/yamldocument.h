#pragma once

#include "engine/runbook/diagnosticreport.h"
#include "engine/runbook/lineindex.h"
#include "engine/runbook/yamlnode.h"
#include "engine/runbook/yamlprescan.h"

#include <QByteArray>
#include <memory>

namespace antibody {

// Most nodes one file may hold, and most an alias may expand it to. A runbook has a
// few hundred; these bound memory and time for any input.
constexpr int maxYamlNodes = 100'000;

// Parses the bytes of one runbook (or other YAML `content`) file (already checked by prescanYaml) into a tree.
// Returns nullptr when there is no usable tree: a syntax error, several documents, an
// empty file, a recursive alias or an alias bomb. Duplicate keys are reported here and
// kept out of the tree's values. Never throws.
std::shared_ptr<const YamlNode> parseYaml(const QByteArray &utf8, const LineIndex &index, DiagnosticReport &report,
    const YamlContent &content = YamlContent::runbook());

// The whole way from a file's bytes to its tree: the size cap (`content.maxBytes`), a
// UTF-8 byte order mark (legal, invisible in editors: columns start after it), the byte
// checks of prescanYaml, then parseYaml. nullptr when there is no usable tree.
std::shared_ptr<const YamlNode> readYamlDocument(
    const QByteArray &bytes, DiagnosticReport &report, const YamlContent &content = YamlContent::runbook());

} // namespace antibody
