#include "engine/pipeline/steprunner.h"

#include "engine/core/severity.h"
#include "engine/pipeline/planner.h"

#include <QJsonArray>
#include <memory>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QString number(double v)
{
    return QString::number(v, 'g', 4);
}

MetricQuery queryFor(const Step &step, const Incident &incident)
{
    MetricQuery q;
    q.expression = step.param(u"metric"_s) ? step.param(u"metric"_s)->toText() : QString();
    if (!incident.service.isEmpty())
        q.scope.insert(u"service"_s, incident.service);
    return q;
}

void queryMetrics(const Step &step, const StepRunner::Context &ctx, StepRunner::Done done)
{
    const MetricQuery q = queryFor(step, ctx.incident);
    const Duration window = step.param(u"window"_s) ? step.param(u"window"_s)->toDuration() : Duration { 300'000 };
    const TimePoint now = ctx.clock->now();
    const Incident incident = ctx.incident;
    ctx.metrics->query(q, [=](const MetricResult &instant) {
        if (!instant.ok) {
            done(StepOutcome::failed(u"reading %1 failed: %2"_s.arg(q.expression, instant.error)));
            return;
        }
        const auto sample = StepRunner::pick(instant, incident);
        if (!sample) {
            done(StepOutcome::failed(u"%1 has no data for %2"_s.arg(q.expression, incident.service)));
            return;
        }
        const Duration step = std::max(Duration { 1'000 }, window / 30);
        ctx.metrics->queryRange(q, now - window, now, step, [=](const RangeResult &range) {
            QVariantMap facts { { u"value"_s, sample->value }, { u"age_seconds"_s, toSeconds(now - sample->at) } };
            QJsonObject evidence { { u"metric"_s, q.expression }, { u"value"_s, sample->value },
                { u"at"_s, formatTime(sample->at) } };
            QString detail = u"%1 = %2"_s.arg(q.expression, number(sample->value));
            const RangeSeries *series = nullptr;
            for (const RangeSeries &s : range.series) {
                if (!series || s.labels.value(u"service"_s) == incident.service)
                    series = &s;
            }
            if (range.ok && series && !series->points.isEmpty()) {
                double sum = 0, lo = series->points.front().second, hi = lo;
                QJsonArray points;
                for (const auto &[t, v] : series->points) {
                    sum += v;
                    lo = std::min(lo, v);
                    hi = std::max(hi, v);
                    points.append(QJsonArray { toMillis(t), v });
                }
                const double avg = sum / double(series->points.size());
                facts.insert(u"avg"_s, avg);
                facts.insert(u"min"_s, lo);
                facts.insert(u"max"_s, hi);
                evidence.insert(u"avg"_s, avg);
                evidence.insert(u"min"_s, lo);
                evidence.insert(u"max"_s, hi);
                evidence.insert(u"window"_s, formatDuration(window));
                evidence.insert(u"points"_s, points);
                detail += u" (over %1: avg %2, max %3)"_s.arg(formatDuration(window), number(avg), number(hi));
            }
            done(StepOutcome::succeeded(detail, facts, evidence));
        });
    });
}

struct Watch
{
    StepRunner::Context ctx;
    MetricQuery query;
    bool below = true;
    double goal = 0;
    QString goalText;
    TimePoint deadline;
    Duration hold { 0 };
    std::optional<TimePoint> holdingSince;
    std::optional<TimePoint> lastSampleAt; // the newest sample read: a re-read of it says nothing new
    QJsonArray trace;
    double last = 0;
    bool haveValue = false;
    StepRunner::Done done;
};

void poll(const std::shared_ptr<Watch> &w)
{
    w->ctx.metrics->query(w->query, [w](const MetricResult &r) {
        const TimePoint now = w->ctx.clock->now();
        const auto sample = r.ok ? StepRunner::pick(r, w->ctx.incident) : std::nullopt;
        // Only data newer than the last action tells whether the action worked, and only a
        // sample not read before adds to a hold: the hold spans the samples' own times, so
        // a data gap (the same sample re-read, or a long silence between two) never counts.
        if (sample && sample->at > w->ctx.lastActionAt && (!w->lastSampleAt || sample->at > *w->lastSampleAt)) {
            const Duration gapLimit = std::max(Duration { 10'000 }, 3 * w->ctx.pollInterval);
            const bool gap = w->lastSampleAt && sample->at - *w->lastSampleAt > gapLimit;
            w->lastSampleAt = sample->at;
            w->last = sample->value;
            w->haveValue = true;
            w->trace.append(QJsonArray { toMillis(sample->at), sample->value });
            const bool holds = w->below ? sample->value < w->goal : sample->value > w->goal;
            if (!holds || gap)
                w->holdingSince.reset();
            if (holds && !w->holdingSince)
                w->holdingSince = sample->at;
            if (holds && sample->at - *w->holdingSince >= w->hold) {
                QJsonObject evidence { { u"metric"_s, w->query.expression }, { u"goal"_s, w->goalText },
                    { u"trace"_s, w->trace } };
                w->done(
                    StepOutcome::succeeded(u"%1 is %2, %3 the goal of %4"_s.arg(w->query.expression,
                                               number(sample->value), w->below ? u"below"_s : u"above"_s, w->goalText),
                        { { u"value"_s, sample->value } }, evidence));
                return;
            }
        }
        if (now >= w->deadline) {
            QJsonObject evidence { { u"metric"_s, w->query.expression }, { u"goal"_s, w->goalText },
                { u"trace"_s, w->trace } };
            const QString seen = w->haveValue ? u"still %1"_s.arg(number(w->last)) : u"no fresh data"_s;
            w->done(StepOutcome::timedOut(u"%1 did not get %2 %3 in time (%4)"_s.arg(w->query.expression,
                                              w->below ? u"below"_s : u"above"_s, w->goalText, seen),
                w->haveValue ? QVariantMap { { u"value"_s, w->last } } : QVariantMap {}, evidence));
            return;
        }
        w->ctx.clock->callAfter(std::min(w->ctx.pollInterval, w->deadline - now), [w] { poll(w); });
    });
}

void waitForMetric(const Step &step, const StepRunner::Context &ctx, Duration timeout, StepRunner::Done done)
{
    auto w = std::make_shared<Watch>();
    w->ctx = ctx;
    w->query = queryFor(step, ctx.incident);
    const ParamValue *goal = step.param(u"below"_s);
    w->below = goal != nullptr;
    if (!goal)
        goal = step.param(u"above"_s);
    if (!goal) {
        done(StepOutcome::failed(u"wait_for_metric needs `below` or `above`"_s));
        return;
    }
    w->goal = goal->toNumber();
    w->goalText = goal->text;
    w->hold = step.param(u"hold"_s) ? step.param(u"hold"_s)->toDuration() : Duration { 0 };
    w->deadline = ctx.clock->now() + timeout;
    w->done = std::move(done);
    // Give the system one poll interval to react before the first look.
    ctx.clock->callAfter(ctx.pollInterval, [w] { poll(w); });
}

void collectDiagnostics(const Step &step, const StepRunner::Context &ctx, Duration timeout, StepRunner::Done done)
{
    ActionExecutor *executor = ctx.executorFor(u"diagnostics"_s);
    if (!executor) {
        done(StepOutcome::failed(u"no diagnostics executor is configured"_s));
        return;
    }
    ActionRequest request;
    request.executionId = ctx.executionId;
    request.incidentId = ctx.incident.id;
    request.step = step.name;
    request.action = step.action;
    request.service = ctx.incident.service;
    request.params = Planner::paramsOf(step);
    StepRunner::runPass(executor, request, ctx.clock, timeout, [done](const ActionResult &r, bool timedOut) {
        QJsonObject evidence = QJsonObject::fromVariantMap(r.facts);
        evidence.insert(u"summary"_s, r.detail);
        if (timedOut)
            done(StepOutcome::timedOut(u"diagnostics did not answer in time"_s, {}, evidence));
        else
            done(r.ok ? StepOutcome::succeeded(r.detail, r.facts, evidence)
                      : StepOutcome::failed(r.error, r.facts, evidence));
    });
}

void sendNotification(const Step &step, const ActionSpec &spec, const StepRunner::Context &ctx, StepRunner::Done done)
{
    if (ctx.notifiers.isEmpty()) {
        done(StepOutcome::failed(u"no notifier is configured: nobody was told"_s));
        return;
    }
    Notification n;
    const bool page = spec.role == ActionRole::Page;
    n.kind = page ? Notification::Kind::Page : Notification::Kind::Notify;
    n.dedupKey = ctx.incident.id;
    n.incidentId = ctx.incident.id;
    n.service = ctx.incident.service;
    n.severity = step.param(u"severity"_s) ? step.param(u"severity"_s)->toText() : (page ? u"high"_s : u"info"_s);
    const QString context = step.param(page ? u"context"_s : u"message"_s)
        ? step.param(page ? u"context"_s : u"message"_s)->toText()
        : QString();
    n.summary = context.isEmpty() ? ctx.incident.title : u"%1: %2"_s.arg(ctx.incident.title, context);
    if (page && !ctx.pagedSeverity.isEmpty() && severityRank(n.severity) >= severityRank(ctx.pagedSeverity)) {
        // One problem, one page: whoever was paged about it already has it open.
        done(StepOutcome::succeeded(u"not paged again: %1 was already paged at %2 severity: %3"_s.arg(
            ctx.incident.id, ctx.pagedSeverity, n.summary)));
        return;
    }
    const bool attach = !step.param(u"attach_diagnostics"_s) || step.param(u"attach_diagnostics"_s)->value.toBool();
    if (attach)
        n.details = ctx.incident.diagnostics;
    auto remaining = std::make_shared<int>(static_cast<int>(ctx.notifiers.size()));
    auto delivered = std::make_shared<QStringList>();
    auto failures = std::make_shared<QStringList>();
    for (Notifier *notifier : ctx.notifiers) {
        const QString name = notifier->name();
        notifier->send(n, [=](const NotifyResult &r) {
            (r.ok ? *delivered : *failures) << (r.ok ? name : u"%1 (%2)"_s.arg(name, r.error));
            if (--*remaining > 0)
                return;
            const QString verb = page ? u"paged"_s : u"notified"_s;
            if (delivered->isEmpty())
                done(StepOutcome::failed(u"nobody was %1: %2"_s.arg(verb, failures->join(u"; "_s))));
            else
                done(StepOutcome::succeeded(
                    u"%1 via %2%3: %4"_s.arg(verb, delivered->join(u", "_s),
                        failures->isEmpty() ? QString() : u" (failed: %1)"_s.arg(failures->join(u"; "_s)), n.summary),
                    {}, {}, *delivered));
        });
    }
}

} // namespace

Duration StepRunner::timeoutOf(const Step &step, const ActionSpec &spec)
{
    if (step.timeout)
        return *step.timeout;
    if (const ParamValue *p = step.param(u"timeout"_s); p && p->type == ParamType::Duration)
        return p->toDuration();
    return spec.defaultTimeout;
}

std::optional<Sample> StepRunner::pick(const MetricResult &result, const Incident &incident)
{
    std::optional<Sample> first;
    for (const Sample &s : result.samples) {
        if (!incident.service.isEmpty() && s.labels.value(u"service"_s) == incident.service)
            return s;
        if (!first)
            first = s;
    }
    return first;
}

void StepRunner::runPass(ActionExecutor *executor, const ActionRequest &request, Clock *clock, Duration timeout,
    std::function<void(const ActionResult &, bool)> done, std::function<void(const ActionResult &)> late)
{
    auto answered = std::make_shared<bool>(false);
    auto shared = std::make_shared<std::function<void(const ActionResult &, bool)>>(std::move(done));
    const Clock::TimerId timer = clock->callAfter(timeout, [answered, shared] {
        if (*answered)
            return;
        *answered = true;
        ActionResult r;
        r.error = u"no answer within the step's timeout"_s;
        (*shared)(r, true);
    });
    executor->execute(request, [answered, shared, clock, timer, late = std::move(late)](const ActionResult &r) {
        if (*answered) {
            // It answered after we gave up: the timeline already says timed out; `late` says what it did.
            if (late)
                late(r);
            return;
        }
        *answered = true;
        clock->cancel(timer);
        (*shared)(r, false);
    });
}

void StepRunner::run(const Step &step, const ActionSpec &spec, const Context &context, Done done)
{
    // Every completion goes through the clock, so no caller ever sees its callback run inside run().
    Clock *clock = context.clock;
    Done deferred = [clock, done = std::move(done)](
                        const StepOutcome &o) { clock->callAfter(Duration { 0 }, [done, o] { done(o); }); };
    const Duration timeout = timeoutOf(step, spec);
    const bool readsMetrics = spec.role == ActionRole::ReadMetrics || spec.role == ActionRole::Verify;
    if (readsMetrics && !context.metrics)
        deferred(StepOutcome::failed(u"no metric source is configured"_s));
    else if (spec.role == ActionRole::ReadMetrics)
        queryMetrics(step, context, std::move(deferred));
    else if (spec.role == ActionRole::Verify)
        waitForMetric(step, context, timeout, std::move(deferred));
    else if (spec.role == ActionRole::Diagnose)
        collectDiagnostics(step, context, timeout, std::move(deferred));
    else if (spec.effect == Effect::Notifies)
        sendNotification(step, spec, context, std::move(deferred));
    else
        deferred(StepOutcome::failed(u"%1 changes a system: it runs in passes, not here"_s.arg(spec.name)));
}

} // namespace antibody
