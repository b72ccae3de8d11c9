#include "engine/domain/recordjson.h"

#include "engine/runbook/runbook.h"

#include <QJsonArray>
#include <array>
#include <cmath>

using namespace Qt::StringLiterals;

namespace antibody::RecordJson {

namespace {

// The value whose text is `text`, among `all`: the inverse of one of the engine's text functions.
template <typename E, std::size_t N, typename Text>
std::optional<E> fromText(QStringView text, const std::array<E, N> &all, Text toText)
{
    for (const E value : all) {
        if (toText(value) == text)
            return value;
    }
    return std::nullopt;
}

QStringList strings(const QJsonValue &v)
{
    QStringList out;
    for (const QJsonValue &item : v.toArray())
        out << item.toString();
    return out;
}

QJsonValue millis(const std::optional<TimePoint> &t)
{
    return t ? QJsonValue(toMillis(*t)) : QJsonValue(QJsonValue::Null);
}

std::optional<TimePoint> optionalMillis(const QJsonValue &v)
{
    return v.isDouble() ? std::optional<TimePoint>(fromMillis(v.toInteger())) : std::nullopt;
}

QJsonObject labels(const Labels &labels)
{
    QJsonObject out;
    for (auto it = labels.cbegin(); it != labels.cend(); ++it)
        out.insert(it.key(), it.value());
    return out;
}

Labels labelsFrom(const QJsonValue &v)
{
    Labels out;
    const QJsonObject o = v.toObject();
    for (auto it = o.constBegin(); it != o.constEnd(); ++it)
        out.insert(it.key(), it.value().toString());
    return out;
}

// A record must at least be an object with its identifying key as text.
bool hasKey(const QJsonObject &json, const QString &key, const QString &record, QString *error)
{
    if (json.value(key).isString() && !json.value(key).toString().isEmpty())
        return true;
    if (error)
        *error = u"%1 without \"%2\""_s.arg(record, key);
    return false;
}

QJsonObject blastRadius(const BlastRadius &b)
{
    return b.toJson();
}

BlastRadius blastRadiusFrom(const QJsonObject &o)
{
    BlastRadius b;
    b.dimension = o.value(u"dimension"_s).toString();
    b.scope = o.value(u"scope"_s).toString();
    b.fleet = strings(o.value(u"fleet"_s));
    b.candidates = strings(o.value(u"candidates"_s));
    b.chosen = strings(o.value(u"chosen"_s));
    b.cap = Cap::parse(o.value(u"cap"_s).toString()).value_or(Cap {});
    b.capCount = o.value(u"cap_count"_s).toInt();
    b.cycles = o.value(u"cycles"_s).toInt(1);
    b.leftServing = o.value(u"left_serving"_s).toInt();
    return b;
}

std::optional<GuardrailResult> guardrailFrom(const QJsonObject &o)
{
    using Check = GuardrailResult::Check;
    using Verdict = GuardrailResult::Verdict;
    const QString name = o.value(u"name"_s).toString();
    const QString checkPart = name.section(u':', 0, 0);
    const auto check = fromText(checkPart,
        std::array { Check::NeverAutomate, Check::CircuitBreaker, Check::RunbookGuard, Check::BlastRadius,
            Check::CapacityChange, Check::Freshness, Check::Cooldown, Check::OneAtATime, Check::RateLimit,
            Check::Interrupted, Check::Executor, Check::Fleet },
        checkName);
    const auto verdict = fromText(o.value(u"verdict"_s).toString(),
        std::array { Verdict::Pass, Verdict::NeedsApproval, Verdict::Block }, verdictText);
    if (!check || !verdict)
        return std::nullopt;
    return GuardrailResult::of(*check, *verdict, o.value(u"reason"_s).toString(),
        *check == Check::RunbookGuard ? name.section(u':', 1) : QString());
}

} // namespace

std::optional<EngineEvent::Kind> kindFromName(QStringView name)
{
    for (int k = 0; k <= static_cast<int>(EngineEvent::lastKind); ++k) {
        const auto kind = static_cast<EngineEvent::Kind>(k);
        if (EngineEvent::kindName(kind) == name)
            return kind;
    }
    return std::nullopt;
}

QJsonObject plan(const Plan &plan)
{
    QJsonArray steps;
    for (const PlannedStep &s : plan.steps) {
        QJsonObject step {
            { u"name"_s, s.name },
            { u"action"_s, s.action },
            { u"tier"_s, tierText(s.tier) },
            { u"effect"_s, effectText(s.effect) },
            { u"params"_s, QJsonObject::fromVariantMap(s.params) },
            { u"condition"_s, s.condition },
            { u"max_cycles"_s, s.maxCycles },
            { u"explanation"_s, s.explanation },
        };
        if (s.blastRadius)
            step.insert(u"blast_radius"_s, blastRadius(*s.blastRadius));
        steps.append(step);
    }
    QJsonObject out {
        { u"runbook"_s, plan.runbook },
        { u"runbook_hash"_s, QString::fromLatin1(plan.runbookHash.toHex()) },
        { u"incident"_s, plan.incidentId },
        { u"service"_s, plan.service },
        { u"fingerprint"_s, plan.fingerprint },
        { u"made_at"_s, formatTime(plan.madeAt) },
        { u"data_as_of"_s, formatTime(plan.dataAsOf) },
        { u"steps"_s, steps },
    };
    if (!plan.skipped.isEmpty())
        out.insert(u"skipped"_s, QJsonArray::fromStringList(plan.skipped));
    return out;
}

std::optional<Plan> planFrom(const QJsonObject &json, QString *error)
{
    if (!hasKey(json, u"fingerprint"_s, u"a plan"_s, error))
        return std::nullopt;
    Plan p;
    p.runbook = json.value(u"runbook"_s).toString();
    p.runbookHash = QByteArray::fromHex(json.value(u"runbook_hash"_s).toString().toLatin1());
    p.incidentId = json.value(u"incident"_s).toString();
    p.service = json.value(u"service"_s).toString();
    p.fingerprint = json.value(u"fingerprint"_s).toString();
    p.madeAt = parseTime(json.value(u"made_at"_s).toString()).value_or(TimePoint {});
    p.dataAsOf = parseTime(json.value(u"data_as_of"_s).toString()).value_or(TimePoint {});
    p.skipped = strings(json.value(u"skipped"_s));
    for (const QJsonValue &v : json.value(u"steps"_s).toArray()) {
        const QJsonObject o = v.toObject();
        PlannedStep s;
        s.name = o.value(u"name"_s).toString();
        s.action = o.value(u"action"_s).toString();
        s.tier = fromText(o.value(u"tier"_s).toString(), std::array { Tier::Safe, Tier::Approve, Tier::Never },
            tierText)
                     .value_or(Tier::Never); // unknown: the strictest
        s.effect = fromText(o.value(u"effect"_s).toString(),
            std::array { Effect::ReadOnly, Effect::Notifies, Effect::Mutates }, effectText)
                       .value_or(Effect::Mutates);
        s.params = o.value(u"params"_s).toObject().toVariantMap();
        s.condition = o.value(u"condition"_s).toString();
        s.maxCycles = o.value(u"max_cycles"_s).toInt(1);
        s.explanation = o.value(u"explanation"_s).toString();
        if (o.value(u"blast_radius"_s).isObject())
            s.blastRadius = blastRadiusFrom(o.value(u"blast_radius"_s).toObject());
        p.steps << s;
    }
    return p;
}

QJsonObject incident(const Incident &i)
{
    QJsonArray history;
    for (const Transition &t : i.history)
        history.append(QJsonObject {
            { u"state"_s, incidentStateId(t.state) }, { u"at"_s, toMillis(t.at) }, { u"reason"_s, t.reason } });
    QStringList guards;
    for (const Guard g : i.guards)
        guards << guardName(g);
    guards.sort();
    return QJsonObject { { u"id"_s, i.id }, { u"title"_s, i.title }, { u"service"_s, i.service },
        { u"severity"_s, i.severity }, { u"runbook"_s, i.runbook }, { u"level"_s, i.level },
        { u"confidence"_s, confidenceText(i.confidence) }, { u"labels"_s, labels(i.labels) },
        { u"annotations"_s, labels(i.annotations) },
        { u"alert_fingerprints"_s, QJsonArray::fromStringList(i.alertFingerprints) },
        { u"state"_s, incidentStateId(i.state) }, { u"history"_s, history },
        { u"detected_at"_s, toMillis(i.detectedAt) }, { u"resolved_at"_s, millis(i.resolvedAt) },
        { u"diagnostics"_s, i.diagnostics }, { u"facts"_s, QJsonObject::fromVariantMap(i.facts) },
        { u"guards"_s, QJsonArray::fromStringList(guards) }, { u"proposal"_s, i.proposalId },
        { u"alerts_resolved"_s, i.alertsResolved } };
}

std::optional<Incident> incidentFrom(const QJsonObject &json, QString *error)
{
    if (!hasKey(json, u"id"_s, u"an incident"_s, error))
        return std::nullopt;
    const auto state = incidentStateFromId(json.value(u"state"_s).toString());
    if (!state) {
        if (error)
            *error = u"incident %1 has an unknown state '%2'"_s.arg(
                json.value(u"id"_s).toString(), json.value(u"state"_s).toString());
        return std::nullopt;
    }
    Incident i;
    i.id = json.value(u"id"_s).toString();
    i.title = json.value(u"title"_s).toString();
    i.service = json.value(u"service"_s).toString();
    i.severity = json.value(u"severity"_s).toString();
    i.runbook = json.value(u"runbook"_s).toString();
    i.level = json.value(u"level"_s).toInt();
    i.confidence = fromText(json.value(u"confidence"_s).toString(),
        std::array { Confidence::Low, Confidence::Medium, Confidence::High }, confidenceText)
                       .value_or(Confidence::Low);
    i.labels = labelsFrom(json.value(u"labels"_s));
    i.annotations = labelsFrom(json.value(u"annotations"_s));
    i.alertFingerprints = strings(json.value(u"alert_fingerprints"_s));
    i.state = *state;
    for (const QJsonValue &v : json.value(u"history"_s).toArray()) {
        const QJsonObject t = v.toObject();
        i.history << Transition { incidentStateFromId(t.value(u"state"_s).toString()).value_or(IncidentState::Open),
            fromMillis(t.value(u"at"_s).toInteger()), t.value(u"reason"_s).toString() };
    }
    i.detectedAt = fromMillis(json.value(u"detected_at"_s).toInteger());
    i.resolvedAt = optionalMillis(json.value(u"resolved_at"_s));
    i.diagnostics = json.value(u"diagnostics"_s).toObject();
    i.facts = json.value(u"facts"_s).toObject().toVariantMap();
    for (const QString &g : strings(json.value(u"guards"_s))) {
        if (const auto guard = guardFromName(g))
            i.guards.insert(*guard);
    }
    i.proposalId = json.value(u"proposal"_s).toString();
    i.alertsResolved = json.value(u"alerts_resolved"_s).toBool();
    return i;
}

QJsonObject proposal(const Proposal &p)
{
    QJsonArray approvals;
    for (const Approval &a : p.approvals)
        approvals.append(QJsonObject { { u"approver"_s, a.approver }, { u"fingerprint"_s, a.fingerprint },
            { u"at"_s, toMillis(a.at) }, { u"reason"_s, a.reason } });
    return QJsonObject { { u"id"_s, p.id }, { u"incident"_s, p.incidentId }, { u"plan"_s, plan(p.plan) },
        { u"guardrails"_s, p.guardrailsJson() }, { u"mode"_s, modeText(p.decision.mode) },
        { u"reasons"_s, QJsonArray::fromStringList(p.decision.reasons) },
        { u"approvals_required"_s, p.approvalsRequired }, { u"approvals"_s, approvals },
        { u"requested_by"_s, p.requestedBy }, { u"state"_s, proposalStateText(p.state) },
        { u"created_at"_s, toMillis(p.createdAt) }, { u"expires_at"_s, toMillis(p.expiresAt) } };
}

std::optional<Proposal> proposalFrom(const QJsonObject &json, QString *error)
{
    if (!hasKey(json, u"id"_s, u"a proposal"_s, error))
        return std::nullopt;
    const QString id = json.value(u"id"_s).toString();
    QString planError;
    const auto plan = planFrom(json.value(u"plan"_s).toObject(), &planError);
    const auto mode = fromText(json.value(u"mode"_s).toString(),
        std::array { Mode::Show, Mode::Approve, Mode::Auto, Mode::Blocked }, modeText);
    using State = Proposal::State;
    const auto state = fromText(json.value(u"state"_s).toString(),
        std::array { State::Pending, State::Approved, State::Denied, State::Expired, State::Superseded,
            State::Executing, State::Executed },
        proposalStateText);
    if (!plan || !mode || !state) {
        if (error)
            *error = u"proposal %1: %2"_s.arg(id,
                !plan ? planError
                      : u"unknown %1 '%2'"_s.arg(
                          !mode ? u"mode"_s : u"state"_s, json.value(!mode ? u"mode"_s : u"state"_s).toString()));
        return std::nullopt;
    }
    Proposal p;
    p.id = id;
    p.incidentId = json.value(u"incident"_s).toString();
    p.plan = *plan;
    for (const QJsonValue &v : json.value(u"guardrails"_s).toArray()) {
        if (const auto g = guardrailFrom(v.toObject()))
            p.guardrails << *g;
    }
    p.decision = Decision { *mode, strings(json.value(u"reasons"_s)) };
    p.approvalsRequired = std::max(1, json.value(u"approvals_required"_s).toInt(1));
    for (const QJsonValue &v : json.value(u"approvals"_s).toArray()) {
        const QJsonObject a = v.toObject();
        p.approvals << Approval { id, a.value(u"fingerprint"_s).toString(), a.value(u"approver"_s).toString(),
            fromMillis(a.value(u"at"_s).toInteger()), true, a.value(u"reason"_s).toString() };
    }
    p.requestedBy = json.value(u"requested_by"_s).toString();
    p.state = *state;
    p.createdAt = fromMillis(json.value(u"created_at"_s).toInteger());
    p.expiresAt = fromMillis(json.value(u"expires_at"_s).toInteger());
    return p;
}

QJsonObject breaker(const BreakerState &b)
{
    QJsonArray failures;
    for (const TimePoint t : b.failures)
        failures.append(toMillis(t));
    return QJsonObject { { u"type"_s, b.type }, { u"state"_s, breakerStateText(b.state) }, { u"failures"_s, failures },
        { u"opened_at"_s, millis(b.openedAt) }, { u"reason"_s, b.lastReason } };
}

std::optional<BreakerState> breakerFrom(const QJsonObject &json, QString *error)
{
    if (!hasKey(json, u"type"_s, u"a circuit breaker"_s, error))
        return std::nullopt;
    using State = BreakerState::State;
    BreakerState b;
    b.type = json.value(u"type"_s).toString();
    b.state = fromText(json.value(u"state"_s).toString(), std::array { State::Closed, State::Open, State::HalfOpen },
        breakerStateText)
                  .value_or(State::Open); // unknown: the one that stops automation
    for (const QJsonValue &v : json.value(u"failures"_s).toArray())
        b.failures << fromMillis(v.toInteger());
    b.openedAt = optionalMillis(json.value(u"opened_at"_s));
    b.lastReason = json.value(u"reason"_s).toString();
    return b;
}

QJsonObject feed(const FeedHealth &f)
{
    return QJsonObject { { u"feed"_s, f.feed }, { u"state"_s, feedStateText(f.state) }, { u"reason"_s, f.reason },
        { u"last_success"_s, toMillis(f.lastSuccess) } };
}

std::optional<FeedHealth> feedFrom(const QJsonObject &json, QString *error)
{
    if (!hasKey(json, u"feed"_s, u"a feed"_s, error))
        return std::nullopt;
    using State = FeedHealth::State;
    FeedHealth f;
    f.feed = json.value(u"feed"_s).toString();
    f.state = fromText(
        json.value(u"state"_s).toString(), std::array { State::Healthy, State::Degraded, State::Down }, feedStateText)
                  .value_or(State::Down);
    f.reason = json.value(u"reason"_s).toString();
    f.lastSuccess = fromMillis(json.value(u"last_success"_s).toInteger());
    return f;
}

std::optional<EngineEvent> eventFrom(const QJsonObject &json, QString *error)
{
    const auto kind = kindFromName(json.value(u"kind"_s).toString());
    if (!kind || !json.value(u"seq"_s).isDouble()) {
        if (error)
            *error = u"an event with %1"_s.arg(
                !kind ? u"an unknown kind '%1'"_s.arg(json.value(u"kind"_s).toString()) : u"no number"_s);
        return std::nullopt;
    }
    return EngineEvent::make(*kind, fromMillis(json.value(u"at"_s).toInteger()), json.value(u"incident"_s).toString(),
        json.value(u"detail"_s).toString(), json.value(u"data"_s).toObject());
}

QJsonArray rangeSeries(const QList<RangeSeries> &series)
{
    QJsonArray out;
    for (const RangeSeries &one : series) {
        QJsonArray points;
        for (const auto &[at, value] : one.points) {
            if (std::isfinite(value))
                points.append(QJsonArray { toMillis(at), value });
        }
        out.append(QJsonObject { { u"labels"_s, labels(one.labels) }, { u"points"_s, points } });
    }
    return out;
}

std::optional<QList<RangeSeries>> rangeSeriesFrom(const QJsonValue &json, QString *error)
{
    const auto refuse = [error](const QString &why) {
        if (error)
            *error = why;
        return std::nullopt;
    };
    if (!json.isArray())
        return refuse(u"series that are not a list"_s);
    QList<RangeSeries> out;
    for (const QJsonValue &item : json.toArray()) {
        const QJsonObject one = item.toObject();
        if (!one.value(u"points"_s).isArray())
            return refuse(u"a series without \"points\""_s);
        RangeSeries series { labelsFrom(one.value(u"labels"_s)), {} };
        for (const QJsonValue &p : one.value(u"points"_s).toArray()) {
            const QJsonArray point = p.toArray();
            if (point.size() != 2 || !point.at(0).isDouble() || !point.at(1).isDouble())
                return refuse(u"a point that is not [time, value]"_s);
            series.points.append({ fromMillis(point.at(0).toInteger()), point.at(1).toDouble() });
        }
        out << series;
    }
    return out;
}

} // namespace antibody::RecordJson
