#include "engine/rehearsal/triggersubject.h"

#include "engine/runbook/comparator.h"

#include <QMap>
#include <limits>
#include <memory>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QString valueText(double value, const Measure &like)
{
    switch (like.kind) {
    case Measure::Kind::Percent:
        return QString::number(value * 100.0, 'g', 3) + u'%';
    case Measure::Kind::Seconds:
        return QString::number(value, 'g', 3) + u's';
    case Measure::Kind::Plain:
        break;
    }
    return QString::number(value, 'g', 4);
}

// How far past its threshold a value is, relative to the threshold: positive
// when the expression holds. Lets "closest to firing" compare across metrics.
double margin(const TriggerExpression &e, double value)
{
    const double scale = std::max(std::abs(e.threshold.value), 1e-9);
    switch (*e.comparator) {
    case Comparator::Greater:
    case Comparator::GreaterEqual:
        return (value - e.threshold.value) / scale + (compare(value, *e.comparator, e.threshold.value) ? 1e-12 : 0);
    case Comparator::Less:
    case Comparator::LessEqual:
        return (e.threshold.value - value) / scale + (compare(value, *e.comparator, e.threshold.value) ? 1e-12 : 0);
    case Comparator::Equal:
    case Comparator::NotEqual:
        return compare(value, *e.comparator, e.threshold.value) ? 1.0 : -1.0;
    }
    return -1.0;
}

Labels baseLabels(const Runbook &runbook, const TriggerExpression &e)
{
    Labels labels;
    if (!e.name.isEmpty())
        labels.insert(u"alertname"_s, e.name);
    for (const LabelMatcher &m : e.matchers) {
        if (m.op == LabelMatcher::Op::Equal && !m.value.isEmpty())
            labels.insert(m.name, m.value);
    }
    if (e.isMetric())
        labels.insert(u"runbook"_s, runbook.name);
    if (!runbook.appliesTo(labels.value(u"service"_s)))
        labels.insert(u"service"_s, runbook.services.front()); // planned for a service the runbook takes
    return labels;
}

QString reading(const TriggerExpression &e, const Sample &s, bool withService)
{
    const QString service = s.labels.value(u"service"_s);
    return u"%1 is %2%3 (%4 %5)"_s.arg(e.name, valueText(s.value, e.threshold),
        withService && !service.isEmpty() ? u" on "_s + service : QString(), comparatorText(*e.comparator),
        e.threshold.text);
}

// The service whose readings come closest to firing the trigger: for `any:` (and a
// single expression) its reading furthest past a threshold; for `all:` its reading
// least past (every expression must hold for one service).
TriggerSubject conclude(
    const Runbook &runbook, const QMap<QString, QMap<int, Sample>> &readings, const QStringList &errors)
{
    constexpr double none = -std::numeric_limits<double>::infinity();
    const QList<TriggerExpression> &exprs = runbook.trigger.expressions;
    const bool all = runbook.trigger.mode == Trigger::Mode::All && exprs.size() > 1;
    QString bestService;
    double bestScore = none;
    int bestExpression = -1;
    for (auto it = readings.cbegin(); it != readings.cend(); ++it) {
        double score = all ? std::numeric_limits<double>::infinity() : none;
        int expression = -1;
        for (int i = 0; i < exprs.size(); ++i) {
            const double m = it->contains(i) ? margin(exprs.at(i), it->value(i).value) : none;
            if (expression < 0 || (all ? m < score : m > score)) {
                score = m;
                expression = i;
            }
        }
        if (bestExpression < 0 || score > bestScore) {
            bestService = it.key();
            bestScore = score;
            bestExpression = expression;
        }
    }
    TriggerSubject subject;
    if (bestExpression < 0) {
        subject.labels = baseLabels(runbook, exprs.front());
        subject.explanation = errors.isEmpty()
            ? u"no series answers %1 now; planned with the labels the trigger names"_s.arg(exprs.front().selectorText())
            : u"the metrics could not be read (%1); planned with the labels the trigger names"_s.arg(
                errors.join(u"; "_s));
        return subject;
    }
    // The labels the engine's trigger evaluator gives the alert it fires.
    subject.labels = { { u"alertname"_s, exprs.front().name }, { u"runbook"_s, runbook.name } };
    if (!bestService.isEmpty())
        subject.labels.insert(u"service"_s, bestService);
    subject.holdsNow = bestScore > 0;
    const QMap<int, Sample> &of = readings[bestService];
    if (all) {
        QStringList parts;
        for (int i = 0; i < exprs.size(); ++i)
            parts << (of.contains(i) ? reading(exprs.at(i), of.value(i), false)
                                     : u"%1 has no data"_s.arg(exprs.at(i).name));
        const QString text = u"on %1: %2"_s.arg(bestService, parts.join(u", "_s));
        subject.explanation = subject.holdsNow
            ? text + u": the trigger (all of them) holds now"_s
            : u"the trigger does not hold now (it needs all of them; %1); planned as if it fired"_s.arg(text);
    } else {
        const QString text = reading(exprs.at(bestExpression), of.value(bestExpression), true);
        subject.explanation = subject.holdsNow
            ? text + u": the trigger holds now"_s
            : u"the trigger does not hold now (closest: %1); planned as if it fired"_s.arg(text);
    }
    return subject;
}

} // namespace

void findTriggerSubject(const Runbook &runbook, Clock &clock, MetricSource *metrics, const QList<Labels> &firing,
    std::function<void(const TriggerSubject &)> done)
{
    const QList<TriggerExpression> &exprs = runbook.trigger.expressions;
    // A firing alert the trigger matches is the best subject: it is what the runbook would handle now.
    // Answers that need no reading still arrive through the clock, never inside this call.
    auto answer = [&clock, done](
                      TriggerSubject subject) { clock.callAfter(Duration { 0 }, [done, subject] { done(subject); }); };
    for (const Labels &labels : firing) {
        if (!runbook.appliesTo(labels.value(u"service"_s)))
            continue; // not an incident this runbook would take
        if (!runbook.name.isEmpty() && labels.value(u"runbook"_s) == runbook.name) {
            answer(
                { labels, u"the incident open now for this runbook (%1)"_s.arg(labels.value(u"alertname"_s)), true });
            return;
        }
        for (const TriggerExpression &e : exprs) {
            if (!e.isMetric() && e.matchesAlert(labels.value(u"alertname"_s), labels)) {
                const QString service = labels.value(u"service"_s);
                answer({ labels,
                    u"%1 is firing now%2"_s.arg(
                        labels.value(u"alertname"_s), service.isEmpty() ? QString() : u" for "_s + service),
                    true });
                return;
            }
        }
    }
    const bool metric = !exprs.isEmpty() && exprs.front().isMetric();
    if (!metric || !metrics) {
        // An alert selector that is not firing: its own labels are all there is to go on.
        const Labels labels = exprs.isEmpty() ? Labels {} : baseLabels(runbook, exprs.front());
        answer({ labels,
            u"%1 is not firing now; planned as if it fired with the labels the trigger names"_s.arg(
                exprs.isEmpty() ? u"the trigger"_s : exprs.front().text),
            false });
        return;
    }
    // Per service, each expression's reading furthest past its threshold (as the engine's
    // trigger evaluator reads them: by the series' `service` label).
    auto readings = std::make_shared<QMap<QString, QMap<int, Sample>>>();
    auto outstanding = std::make_shared<int>(static_cast<int>(exprs.size()));
    auto errors = std::make_shared<QStringList>();
    for (int i = 0; i < exprs.size(); ++i) {
        MetricQuery q;
        q.expression = exprs.at(i).selectorText();
        metrics->query(q, [runbook, exprs, i, readings, outstanding, errors, done](const MetricResult &r) {
            const TriggerExpression &e = exprs.at(i);
            if (!r.ok)
                *errors << u"%1: %2"_s.arg(e.selectorText(), r.error);
            for (const Sample &s : r.samples) {
                if (!runbook.appliesTo(s.labels.value(u"service"_s)))
                    continue;
                QMap<int, Sample> &byExpression = (*readings)[s.labels.value(u"service"_s)];
                if (!byExpression.contains(i) || margin(e, s.value) > margin(e, byExpression.value(i).value))
                    byExpression.insert(i, s);
            }
            if (--*outstanding == 0)
                done(conclude(runbook, *readings, *errors));
        });
    }
}

} // namespace antibody
