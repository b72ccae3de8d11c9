#pragma once

#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/nodereader.h"

#include <QMap>
#include <optional>

namespace antibody {

// Reads a step's `params:` against its catalog action: unknown, missing and ill-typed
// parameters, the action's `oneOf` rule, and value normalization (ParamValue). The
// parameters a runbook leaves out get the catalog's default (location 0:0), so code
// that runs a step never has to consult the catalog for defaults.
class ParamReader
{
public:
    explicit ParamReader(NodeReader &reader);

    QMap<QString, ParamValue> read(
        const YamlNode *params, const ActionSpec &action, const QString &stepName, SourceLocation stepLocation);

    // A value written as text (a scalar, or a catalog default), normalized for its type.
    // On failure `problem` says what is wrong and `hint` what to write instead.
    static std::optional<ParamValue> fromText(
        const ParamSpec &spec, const QString &text, QString *problem, QString *hint);

private:
    std::optional<ParamValue> readValue(const ParamSpec &spec, const YamlNode &node, const QString &what);

    NodeReader &m_reader;
};

} // namespace antibody
