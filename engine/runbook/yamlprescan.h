#pragma once

#include "engine/runbook/diagnosticreport.h"
#include "engine/runbook/lineindex.h"

#include <QByteArray>
#include <QString>

namespace antibody {

// What a YAML file holds, for the messages about its bytes and its tree: a runbook (the
// default) or the team server's access policy read the same way.
struct YamlContent
{
    QString noun; // "runbook": "the file holds no runbook"
    QString emptyHint; // what such a file starts with
    int typicalDepth = 6; // nesting it needs, for the hint of `too-deep`
    qsizetype maxBytes = 1024 * 1024; // longer files are refused unread

    static const YamlContent &runbook();
};

// Deepest nesting of collections a runbook may use (a runbook needs about 6).
constexpr int maxYamlDepth = 32;

// Checks the raw bytes before yaml-cpp sees them: valid UTF-8 without control
// characters, no tab indentation, and nesting (block and flow) no deeper than
// maxYamlDepth, because yaml-cpp 0.7 recurses once per level. Returns false when the
// text must not be parsed; the reasons are in `report`.
bool prescanYaml(const QByteArray &bytes, const LineIndex &index, DiagnosticReport &report,
    const YamlContent &content = YamlContent::runbook());

} // namespace antibody
