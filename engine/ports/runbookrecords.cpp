#include "engine/ports/runbookrecords.h"

#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody {

RunbookRecords::~RunbookRecords() = default;

EngineEvent RunbookRecords::installedEvent(const InstalledRunbook &runbook)
{
    return EngineEvent::make(EngineEvent::Kind::RunbookInstalled, runbook.installedAt, {},
        u"%1 installed the runbook %2 (level %3, sha256 %4)"_s.arg(runbook.installedBy, runbook.name)
            .arg(runbook.level)
            .arg(runbook.sha256.left(12)),
        QJsonObject { { u"runbook"_s, runbook.name }, { u"sha256"_s, runbook.sha256 }, { u"level"_s, runbook.level },
            { u"installed_by"_s, runbook.installedBy }, { u"bytes"_s, qint64(runbook.yaml.size()) } });
}

} // namespace antibody
