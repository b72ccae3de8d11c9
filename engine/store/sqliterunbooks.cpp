#include "engine/store/sqliterunbooks.h"

#include "engine/store/audittrail.h"
#include "engine/store/sqlitedatabase.h"

using namespace Qt::StringLiterals;

namespace antibody {

bool SqliteRunbooks::installRunbook(const InstalledRunbook &runbook, QString *error)
{
    const bool written = write(u"install the runbook %1"_s.arg(runbook.name), Durability::Durable, [&] {
        auto q = m_db.prepare(u"INSERT INTO installed_runbooks (name, yaml, sha256, installed_by, installed_at) "
                              "VALUES (?, ?, ?, ?, ?)"_s);
        q.bind(1, runbook.name)
            .bind(2, QString::fromUtf8(runbook.yaml))
            .bind(3, runbook.sha256)
            .bind(4, runbook.installedBy)
            .bind(5, toMillis(runbook.installedAt));
        q.run();
        AuditTrail(m_db).append(AuditTrail::entryOf(installedEvent(runbook)));
    });
    if (!written)
        *error = u"the store could not record it: see the server's log"_s;
    return written;
}

QList<InstalledRunbook> SqliteRunbooks::installedRunbooks()
{
    QList<InstalledRunbook> out;
    read(u"read the installed runbooks"_s, [&] {
        auto q
            = m_db.prepare(u"SELECT name, yaml, sha256, installed_by, installed_at FROM installed_runbooks r "
                           "WHERE seq = (SELECT max(seq) FROM installed_runbooks WHERE name = r.name) ORDER BY name"_s);
        while (q.step())
            out << InstalledRunbook { q.text(0), q.text(1).toUtf8(), q.text(2), q.text(3), fromMillis(q.integer(4)) };
    });
    return out;
}

} // namespace antibody
