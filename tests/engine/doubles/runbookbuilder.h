#pragma once

// Builds typed runbooks in code, so the engine's tests do not depend on the YAML
// loader. Parameter values are written as a runbook would ("300s", "70%", "2")
// and normalized with the catalog's types.

#include "engine/runbook/runbook.h"

#include <QVariantMap>

namespace antibody::test {

class RunbookBuilder
{
public:
    explicit RunbookBuilder(const QString &name);

    RunbookBuilder &level(int level);
    RunbookBuilder &alert(const QString &expression); // `alert:`
    RunbookBuilder &any(const QStringList &expressions); // `any:`
    RunbookBuilder &all(const QStringList &expressions); // `all:`
    RunbookBuilder &holdFor(Duration d);
    RunbookBuilder &confidence(Confidence c);
    RunbookBuilder &cooldown(Duration d);
    RunbookBuilder &breaker(int failures, Duration window, Duration coolOff);
    RunbookBuilder &guard(const QString &name, const QString &when, const QString &reason);
    RunbookBuilder &approvals(int n);
    RunbookBuilder &services(const QStringList &services); // `services:`
    // `cap` like "15%" or "2" on the action's catalog dimension; `condition` like "verify.failed".
    RunbookBuilder &step(const QString &name, const QString &action, const QMap<QString, QString> &params = {},
        const QString &cap = {}, const QString &condition = {}, int maxCycles = 0);
    RunbookBuilder &where(const QString &condition); // targets.where of the last step
    RunbookBuilder &targetService(const QString &service);

    Runbook build() const;

private:
    Runbook m_runbook;
};

} // namespace antibody::test
