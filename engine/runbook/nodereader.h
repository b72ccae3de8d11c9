#pragma once

#include "engine/core/time.h"
#include "engine/runbook/diagnosticreport.h"
#include "engine/runbook/runbookformat.h"
#include "engine/runbook/yamlnode.h"

#include <QString>
#include <QStringList>
#include <optional>

namespace antibody {

// Reads typed values out of YAML nodes and reports, in the loader's words, every value
// that does not fit. `what` names the value in messages: "`cooldown`", "`timeout` of
// step `verify`".
class NodeReader
{
public:
    explicit NodeReader(DiagnosticReport &report);

    DiagnosticReport &report() { return m_report; }

    // A mapping whose keys are checked against a format section: unknown keys (with a
    // suggestion) and missing required keys are reported. False when it is not a mapping.
    bool checkKeys(const YamlNode &node, const FormatSection &section, const QString &what);
    bool expectMap(const YamlNode &node, const QString &what, const QString &hint);
    bool expectList(const YamlNode &node, const QString &what, const QString &hint);

    std::optional<QString> text(const YamlNode &node, const QString &what);
    std::optional<QString> name(const YamlNode &node, const QString &what);
    std::optional<int> integer(const YamlNode &node, int minimum, int maximum, const QString &what);
    std::optional<Duration> duration(const YamlNode &node, const QString &what);
    std::optional<QString> choice(const YamlNode &node, const QStringList &values, const QString &what);
    std::optional<QStringList> textList(const YamlNode &node, const QString &what);
    // A non-empty list of at most `maximum` service names (isServiceName).
    std::optional<QStringList> serviceList(const YamlNode &node, qsizetype maximum, const QString &what);

    void wrongType(const YamlNode &node, const QString &what, const QString &expected, const QString &hint);

    static bool isName(QStringView text);
    // A DNS-1123 subdomain: what Kubernetes and most meshes call a service, and what the
    // `service` label of their alerts carries.
    static bool isServiceName(const QString &text);
    static const QString serviceNamePattern; // isServiceName as a regular expression (for the JSON Schema)
    static const QString durationHint;

private:
    DiagnosticReport &m_report;
};

} // namespace antibody
