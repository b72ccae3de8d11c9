#pragma once

#include <QList>
#include <QString>

namespace antibody {

struct RunbookTemplate
{
    QString family; // the action family it is built around: database, workload, ...
    QString action; // its main action
    QString title; // for the "New runbook" menu: "database: terminate_connections"
    QString text; // YAML that validates clean, with comments saying what to change
};

// A starting point for a new runbook per action family: diagnose, the family's main
// action with its blast radius, a verify step, an escalation, and a drill. Built from
// the action catalog, so a family added there gets a template (the test checks that
// each one loads without a problem).
class RunbookTemplates
{
public:
    static QList<RunbookTemplate> all();
    // The template text with `name:` set (and the file name it suggests).
    static QString instantiate(const RunbookTemplate &t, const QString &name);
};

} // namespace antibody
