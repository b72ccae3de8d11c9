#pragma once

#include "models/link/enginecommands.h"

#include <QList>
#include <QString>

namespace antibody::samples {

// A recording double of the engine's command interface: widget tests check what
// the console would have asked the engine, and answer on the engine's behalf.
class RecordingCommands : public EngineCommands
{
public:
    struct Call
    {
        QString what; // approve, deny, request, reset, cancel
        QString id;
        QString fingerprint;
        QString reason;
    };

    void approve(const QString &proposalId, const QString &fingerprint) override
    {
        calls << Call { QStringLiteral("approve"), proposalId, fingerprint, {} };
    }
    void deny(const QString &proposalId, const QString &fingerprint, const QString &reason) override
    {
        calls << Call { QStringLiteral("deny"), proposalId, fingerprint, reason };
    }
    void request(const QString &proposalId, const QString &fingerprint, const QString &reason) override
    {
        calls << Call { QStringLiteral("request"), proposalId, fingerprint, reason };
    }
    void resetBreaker(const QString &type) override { calls << Call { QStringLiteral("reset"), type, {}, {} }; }
    void cancel(const QString &incidentId) override { calls << Call { QStringLiteral("cancel"), incidentId, {}, {} }; }
    QString approver() const override { return QStringLiteral("tester@console"); }

    void answer(const QString &proposalId, bool accepted, const QString &message)
    {
        Q_EMIT answered(proposalId, accepted, message);
    }

    QList<Call> calls;
};

} // namespace antibody::samples
