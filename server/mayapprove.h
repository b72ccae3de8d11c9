#pragma once

#include "engine/domain/proposal.h"
#include "server/teamaccess.h"

#include <QJsonObject>

namespace antibody {

// A proposal as one client reads it: its record (wire::proposal), and whether this
// client may approve it: `may_approve`, and when not, `may_approve_reason`, the sentence
// the server would refuse an approval with. So that a console's approval queue puts first
// what waits for its person and says why the rest does not, without asking per plan. The
// policy decides (TeamAccess::decide, approve, on the plan's service, runbook and tier);
// without one, every client may; the requester of a manual action never may.
// `record` is the proposal's wire form (wire::proposal), made once for every client.
QJsonObject proposalFor(
    QJsonObject record, const Proposal &proposal, const TeamAccess *access, const ClientIdentity &who);

} // namespace antibody
