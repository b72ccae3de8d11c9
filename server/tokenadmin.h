#pragma once

#include "engine/core/time.h"
#include "engine/ports/tokenrecords.h"

#include <QJsonObject>

namespace antibody {

// The administration of API tokens over the client API (docs/team.md, "Administering
// tokens over the client API"): `token_create`, `token_list` and `token_revoke`, for a
// person the policy lets `admin`. A new token's secret is drawn on the admin's machine
// and never sent: the server gets its record and SHA-256, stamps who made it and when,
// and holds its lifetime to the bounds `antibodyctl token` keeps.
namespace TokenAdmin {

bool isCommand(const QString &type);

struct Answer
{
    bool ok = false;
    QString reason; // when not ok
    QJsonObject fields; // what the reply carries besides: `token`, `tokens`
};

// `admin`: who asks, as the server knows them (their token's subject).
Answer answer(const QJsonObject &command, TokenRecords &records, const QString &admin, TimePoint now);

} // namespace TokenAdmin

} // namespace antibody
