#include "engine/pipeline/checkpointingnotifier.h"

#include "engine/ports/store.h"

using namespace Qt::StringLiterals;

namespace antibody {

CheckpointingNotifier::CheckpointingNotifier(Notifier &inner, Store &store)
    : m_inner(inner)
    , m_store(store)
{
}

QString CheckpointingNotifier::name() const
{
    return m_inner.name();
}

void CheckpointingNotifier::send(const Notification &notification, std::function<void(const NotifyResult &)> done)
{
    Notification n = notification;
    if (const auto head = m_store.auditCheckpoint())
        n.details.insert(u"audit_checkpoint"_s, u"%1:%2"_s.arg(head->seq).arg(head->hash));
    m_inner.send(n, std::move(done));
}

} // namespace antibody
