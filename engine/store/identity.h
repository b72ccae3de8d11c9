#pragma once

#include <QString>

namespace antibody {

// Who acts: approvals record the approver by name (the operating-system user
// unless a name is configured), and executions record which process claimed them.
class Identity
{
public:
    // The login name of the user running this process: "alice".
    static QString osUser();
    // The configured name when there is one, the OS user otherwise.
    static QString approver(const QString &configured = {});
    // "alice@laptop (pid 4711)": who claimed an execution.
    static QString process(const QString &user = {});
};

} // namespace antibody
