#include "store/postgres/pgrunbooks.h"

#include "store/postgres/pgaudittrail.h"
#include "store/postgres/pgrow.h"

using namespace Qt::StringLiterals;

namespace antibody {

bool PgRunbooks::installRunbook(const InstalledRunbook &runbook, QString *error)
{
    const bool written = write(u"install the runbook %1"_s.arg(runbook.name), Durability::Decision, [&] {
        exec(u"INSERT INTO installed_runbooks (name, yaml, sha256, installed_by, installed_at, epoch) "
             "VALUES ($1, $2, $3, $4, $5, $6)"_s,
            PgParams() << runbook.name << QString::fromUtf8(runbook.yaml) << runbook.sha256 << runbook.installedBy
                       << runbook.installedAt << epoch());
        PgAuditTrail(m_session).append(AuditTrail::entryOf(installedEvent(runbook)));
    });
    if (!written)
        *error = u"the store could not record it (this server may no longer lead): see its log"_s;
    return written;
}

QList<InstalledRunbook> PgRunbooks::installedRunbooks()
{
    QList<InstalledRunbook> out;
    read(u"read the installed runbooks"_s, [&] {
        const PgRows q = exec(u"SELECT DISTINCT ON (name) name, yaml, sha256, installed_by, installed_at "
                              "FROM installed_runbooks ORDER BY name, seq DESC"_s);
        for (qsizetype i = 0; i < q.rows.size(); ++i) {
            const PgRow r(q, i);
            out << InstalledRunbook { r.text(0), r.text(1).toUtf8(), r.text(2), r.text(3), r.time(4) };
        }
    });
    return out;
}

} // namespace antibody
