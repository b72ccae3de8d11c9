#pragma once

#include <QString>
#include <QStringList>
#include <QUrl>

namespace antibody::test {

// The real stack the `realstack` fixture started (scripts/realstack), as the
// tests see it: its addresses, and its script to stop, start and load parts.
class RealStack
{
public:
    static int portBase(); // REALSTACK_PORT_BASE, as the fixture set it
    static QUrl prometheus();
    static QUrl alertmanager();
    static int postgresPort();
    static QString adminDsn(); // the superuser the executor connects as
    static QString appDsn(); // the non-superuser `app` role that exhausts the pool
    // Runs `scripts/realstack ARGS...`; false (with the output in `log`) when it fails.
    static bool run(const QStringList &args, QString *log = nullptr, int timeoutMs = 90'000);
    // The Antibody configuration `scripts/realstack config` prints: the shipped runbooks,
    // or the folder `runbooks` names instead; `extra` YAML appended.
    static QByteArray configuration(const QString &runbooks = {}, const QByteArray &extra = {});
    // `scripts/realstack runbook DIR OPTIONS...`: the shipped pool runbook at the stack's
    // pace (level 2, idle for 1 s) in `dir`, which it returns.
    static QString poolRunbook(const QString &dir, const QStringList &options = {});
};

} // namespace antibody::test
