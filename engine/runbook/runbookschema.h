#pragma once

#include <QByteArray>
#include <QJsonObject>

namespace antibody {

// The JSON Schema (draft-07) of the runbook format, generated from the format table and
// the action catalog: editors with yaml-language-server complete keys, actions and each
// action's parameters from it. resources/schema/runbook.schema.json is this output,
// checked in; a test fails when it is stale.
QJsonObject runbookJsonSchema();
QByteArray runbookJsonSchemaText();

} // namespace antibody
