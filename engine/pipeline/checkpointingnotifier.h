#pragma once

#include "engine/ports/notifier.h"

namespace antibody {

class Store;

// Every page and notice leaves the machine with the audit chain's head as it stands
// (`details.audit_checkpoint`, "SEQ:HASH"): kept by PagerDuty or the chat it went to,
// it is what `antibodyctl audit verify --expect` compares with later, out of reach of
// whoever can rewrite the data folder. Wraps each configured notifier.
class CheckpointingNotifier : public Notifier
{
public:
    CheckpointingNotifier(Notifier &inner, Store &store);

    QString name() const override;
    void send(const Notification &notification, std::function<void(const NotifyResult &)> done) override;

private:
    Notifier &m_inner;
    Store &m_store;
};

} // namespace antibody
