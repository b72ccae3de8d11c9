// Out-of-line: anchors the vtables of the store's facets in one object file.
#include "engine/ports/store.h"

namespace antibody {

IncidentRecords::~IncidentRecords() = default;
ApprovalRecords::~ApprovalRecords() = default;
ExecutionLedger::~ExecutionLedger() = default;
SafeguardRecords::~SafeguardRecords() = default;
DrillRecords::~DrillRecords() = default;
AuditLog::~AuditLog() = default;
Store::~Store() = default;

} // namespace antibody
