#include "engine/pipeline/engineparts.h"

namespace antibody {

EngineParts::EngineParts(Engine &engine, Engine::Ports ports, Engine::Settings settings)
    : core(engine, std::move(ports), std::move(settings))
    , book(core)
    , safeguards(core)
    , paging(core, book)
    , escalation(*this)
    , intake(*this)
    , standAside(*this)
    , proposer(*this)
    , approvals(*this)
    , execution(*this)
    , triggers(
          core.clock(), core.metrics(), core.settings().evaluationInterval, core.settings().freshnessBound,
          [this](const QList<AlertChange> &changes) { intake.onAlertChanges(changes); },
          [this](const FeedHealth &health) { safeguards.feedChanged(health); })
{
}

EngineParts::~EngineParts()
{
    book.detachAll();
}

void EngineParts::setRunbooks(const QList<Runbook> &runbooks)
{
    triggers.setRunbooks(runbooks);
    core.setRunbooks(runbooks);
}

void EngineParts::start()
{
    if (m_started)
        return;
    m_started = true;
    // A store that cannot write is a feed that is down: shown, and automated actions wait.
    // On the next turn: the store tells it from inside a write.
    core.store().watchHealth(core.guarded([this](const FeedHealth &health) {
        core.clock().callAfter(Duration { 0 }, core.guarded([this, health] { safeguards.feedChanged(health); }));
    }));
    safeguards.restore();
    execution.recover();
    Engine *facade = &core.engine();
    for (AlertSource *source : core.alertSources()) {
        QObject::connect(source, &AlertSource::alertsChanged, facade,
            [this](const QList<AlertChange> &c) { intake.onAlertChanges(c); });
        QObject::connect(
            source, &AlertSource::healthChanged, facade, [this](const FeedHealth &h) { safeguards.feedChanged(h); });
        source->start();
    }
    triggers.start();
}

void EngineParts::stop()
{
    triggers.stop();
    for (AlertSource *source : core.alertSources()) {
        source->stop();
        QObject::disconnect(source, nullptr, &core.engine(), nullptr);
    }
    m_started = false;
}

} // namespace antibody
