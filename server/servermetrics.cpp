#include "server/servermetrics.h"

#include "engine/core/exposition.h"
#include "engine/domain/recordjson.h"
#include "engine/pipeline/engine.h"
#include "server/eventjournal.h"

#include <QDateTime>
#include <QTextStream>

using namespace Qt::StringLiterals;

namespace antibody {

ServerMetrics::ServerMetrics(Engine &engine, EventJournal &journal, std::function<Live()> live, QObject *parent)
    : QObject(parent)
    , m_engine(engine)
    , m_journal(journal)
    , m_live(std::move(live))
{
    connect(&m_journal, &EventJournal::appended, this, &ServerMetrics::count);
}

QString ServerMetrics::escaped(const QString &value)
{
    return Exposition::escapedLabelValue(value);
}

void ServerMetrics::countWebhook(const QString &result)
{
    ++m_webhooks[result];
}

void ServerMetrics::count(const AuditLog::StoredEvent &e)
{
    m_lastEventAtMs = toMillis(e.at);
    using Kind = EngineEvent::Kind;
    const auto kind = RecordJson::kindFromName(e.kind); // the store's own kinds (chain_restarted) count nowhere
    if (kind == Kind::Resolved || kind == Kind::Escalated || kind == Kind::Interrupted || kind == Kind::Cancelled)
        ++m_incidentsEnded[e.kind];
    else if (kind == Kind::StepFinished)
        ++m_steps[{ e.data.value(u"action"_s).toString(), e.data.value(u"outcome"_s).toString() }];
}

QByteArray ServerMetrics::text() const
{
    const Live live = m_live();
    QString out;
    QTextStream s(&out);
    auto family = [&](const char *name, const char *type, const char *help) {
        s << "# HELP " << name << ' ' << help << "\n# TYPE " << name << ' ' << type << '\n';
    };
    family("antibody_server_leader", "gauge", "1 while this server is the one acting (leader), 0 on a standby.");
    s << "antibody_server_leader " << (live.leader ? 1 : 0) << '\n';
    family("antibody_server_epoch", "gauge", "The fencing epoch this server acts under (0: no lease, one server).");
    s << "antibody_server_epoch " << live.epoch << '\n';
    family("antibody_server_clients", "gauge", "Consoles and antibodyctl sessions connected to the client API.");
    s << "antibody_server_clients " << live.clients << '\n';
    family("antibody_server_event_seq", "gauge", "The newest event number handed to clients.");
    s << "antibody_server_event_seq " << m_journal.lastSeq() << '\n';
    family("antibody_server_event_lag_seconds", "gauge",
        "Wall time since the newest event handed to clients happened (engine clock); grows while nothing happens.");
    const qint64 nowMs = QDateTime::currentMSecsSinceEpoch();
    s << "antibody_server_event_lag_seconds " << (m_lastEventAtMs ? double(nowMs - m_lastEventAtMs) / 1000.0 : 0.0)
      << '\n';

    int waiting = 0;
    int open = 0;
    for (const Incident &i : m_engine.incidents()) {
        open += isFinal(i.state) ? 0 : 1;
        waiting += i.state == IncidentState::AwaitingApproval ? 1 : 0;
    }
    family("antibody_incidents_open", "gauge", "Incidents not yet resolved, escalated or interrupted.");
    s << "antibody_incidents_open " << open << '\n';
    family("antibody_proposals_waiting", "gauge", "Proposals waiting for a person's approval.");
    s << "antibody_proposals_waiting " << waiting << '\n';

    family("antibody_incidents_ended_total", "counter", "Incidents that ended, by how.");
    for (auto it = m_incidentsEnded.cbegin(); it != m_incidentsEnded.cend(); ++it)
        s << "antibody_incidents_ended_total{outcome=\"" << escaped(it.key()) << "\"} " << it.value() << '\n';
    family("antibody_steps_total", "counter", "Remediation steps that finished, by action and outcome.");
    for (auto it = m_steps.cbegin(); it != m_steps.cend(); ++it)
        s << "antibody_steps_total{action=\"" << escaped(it.key().first) << "\",outcome=\"" << escaped(it.key().second)
          << "\"} " << it.value() << '\n';

    family("antibody_feed_up", "gauge", "1 while a feed is healthy, 0.5 degraded, 0 down.");
    for (const FeedHealth &f : m_engine.feeds()) {
        const double up = f.state == FeedHealth::State::Healthy ? 1.0
            : f.state == FeedHealth::State::Degraded            ? 0.5
                                                                : 0.0;
        s << "antibody_feed_up{feed=\"" << escaped(f.feed) << "\"} " << up << '\n';
    }
    family("antibody_alertmanager_webhooks_total", "counter", "Alertmanager webhook deliveries, by result.");
    for (auto it = m_webhooks.cbegin(); it != m_webhooks.cend(); ++it)
        s << "antibody_alertmanager_webhooks_total{result=\"" << escaped(it.key()) << "\"} " << it.value() << '\n';
    s.flush();
    return out.toUtf8();
}

} // namespace antibody
