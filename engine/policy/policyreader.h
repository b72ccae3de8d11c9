#pragma once

#include "engine/policy/policy.h"
#include "engine/runbook/nodereader.h"

#include <QByteArray>
#include <QSet>
#include <QString>

namespace antibody {

// Turns a policy file's YAML into a Policy with the runbook loader's helpers (the byte
// checks, the located tree, NodeReader), so that a policy typo reads like a runbook one:
// file:line:col, a stable code, what to do. Every problem is found, not just the first.
class PolicyReader
{
public:
    static PolicyLoad read(const QByteArray &bytes, const QString &fileName);

private:
    explicit PolicyReader(DiagnosticReport &report);

    std::optional<Policy> readRoot(const YamlNode &root, const QString &fileName);
    void readGroups(const YamlNode &node, Policy &policy);
    void readApprovals(const YamlNode &node, Policy &policy);
    void readRules(const YamlNode &node, Policy &policy);
    std::optional<PolicyRule> readRule(const YamlNode &node, const QString &fileName);
    QList<PolicyVerb> readVerbs(const YamlNode &node, const QString &what);
    QStringList readSubjects(const YamlNode &node);
    QStringList readGlobs(const YamlNode &node, QStringView key);
    void warnIfNeverApplies(const PolicyRule &rule, SourceLocation at);
    // The text items of a list that must not be empty; what is not text is reported and left out.
    std::optional<QList<const YamlNode *>> textItems(const YamlNode &node, const QString &what);

    void problem(const QString &code, SourceLocation at, const QString &message, const QString &hint);

    NodeReader m_reader;
    QSet<QString> m_groups; // defined under `groups:`, for the rules' `group:NAME`
};

} // namespace antibody
