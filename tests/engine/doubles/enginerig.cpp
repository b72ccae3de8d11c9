#include "tests/engine/doubles/enginerig.h"

#include <QTest>

using namespace Qt::StringLiterals;

namespace antibody::test {

EngineRig::EngineRig(Engine::Settings settings, Store *durable)
{
    if (settings.identity.isEmpty())
        settings.identity = u"test-engine"_s;
    Engine::Ports ports;
    ports.clock = &clock;
    ports.store = durable ? durable : &store;
    ports.metrics = &metrics;
    ports.alertSources = { &alerts };
    ports.executors = { &workload, &database, &diagnostics, &hosts, &extension };
    ports.notifiers = { &pager };
    engine = std::make_unique<Engine>(ports, settings);
    QObject::connect(engine.get(), &Engine::event, engine.get(), [this](const EngineEvent &e) { events << e; });
}

EngineRig::~EngineRig()
{
    engine.reset();
}

void EngineRig::start(const QList<Runbook> &runbooks)
{
    engine->setRunbooks(runbooks);
    engine->start();
}

QList<EngineEvent> EngineRig::eventsOf(EngineEvent::Kind kind) const
{
    QList<EngineEvent> out;
    for (const EngineEvent &e : events) {
        if (e.kind == kind)
            out << e;
    }
    return out;
}

Incident EngineRig::onlyIncident() const
{
    const auto all = engine->incidents();
    if (all.size() != 1) {
        QTest::qFail(
            qPrintable(u"expected one incident, found %1\n%2"_s.arg(all.size()).arg(timeline())), __FILE__, __LINE__);
        return {};
    }
    return all.front();
}

Proposal EngineRig::currentProposal(const Incident &incident) const
{
    return engine->proposal(engine->incident(incident.id)->proposalId).value_or(Proposal {});
}

QString EngineRig::timeline() const
{
    QString out;
    for (const EngineEvent &e : events) {
        if (e.kind == EngineEvent::Kind::StateChanged || e.kind == EngineEvent::Kind::RunbookLoaded)
            continue;
        out += u"  %1 %2 %3: %4\n"_s.arg(formatTime(e.at).mid(11, 12), e.incidentId, e.kindName(), e.detail);
    }
    return out;
}

} // namespace antibody::test
