#pragma once

#include "engine/core/time.h"
#include "engine/domain/engineevent.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace antibody {

// A runbook a person installed over the team server's client API: the YAML as sent,
// kept in the store beside the engine's records so that every server on a shared store
// runs the same library, and a standby that takes over runs what was installed.
struct InstalledRunbook
{
    QString name; // the runbook's `name:`
    QByteArray yaml; // the file as sent (UTF-8: the loader refuses anything else)
    QString sha256; // of `yaml`, lowercase hex
    QString installedBy; // the person (their token's subject)
    TimePoint installedAt;
    int level = 0; // the runbook's automation level: in the audit row, not stored apart
};

// Port: installed runbooks, each version kept (a new one for a name replaces the older
// for the engine, not in the store). Each installation is appended to the audit trail in
// its transaction (`runbook_installed`: the name, the digest, who; not the YAML, which
// the record holds whole). Implementations: SqliteRunbooks, PgRunbooks (fenced: only
// the leader installs).
class RunbookRecords
{
public:
    virtual ~RunbookRecords();

    // Stores a version; false, with `error` saying why (the store failed), when not.
    virtual bool installRunbook(const InstalledRunbook &runbook, QString *error) = 0;
    // The newest version of each installed runbook, by name.
    virtual QList<InstalledRunbook> installedRunbooks() = 0;

    // The audit trail's row of an installation, the same on every store.
    static EngineEvent installedEvent(const InstalledRunbook &runbook);
};

} // namespace antibody
