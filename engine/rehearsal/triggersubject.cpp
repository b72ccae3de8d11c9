#include "engine/rehearsal/triggersubject.h"

#include "engine/runbook/comparator.h"

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
    return labels;
}

struct Best
{
    bool found = false;
    double margin = 0;
    int expression = 0;
    Sample sample;
};

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
    auto best = std::make_shared<Best>();
    auto outstanding = std::make_shared<int>(static_cast<int>(exprs.size()));
    auto errors = std::make_shared<QStringList>();
    for (int i = 0; i < exprs.size(); ++i) {
        MetricQuery q;
        q.expression = exprs.at(i).selectorText();
        metrics->query(q, [runbook, exprs, i, best, outstanding, errors, done](const MetricResult &r) {
            const TriggerExpression &e = exprs.at(i);
            if (!r.ok)
                *errors << u"%1: %2"_s.arg(e.selectorText(), r.error);
            for (const Sample &s : r.samples) {
                const double m = margin(e, s.value);
                if (!best->found || m > best->margin)
                    *best = Best { true, m, i, s };
            }
            if (--*outstanding > 0)
                return;
            TriggerSubject subject;
            if (!best->found) {
                subject.labels = baseLabels(runbook, exprs.front());
                subject.explanation = errors->isEmpty()
                    ? u"no series answers %1 now; planned with the labels the trigger names"_s.arg(
                        exprs.front().selectorText())
                    : u"the metrics could not be read (%1); planned with the labels the trigger names"_s.arg(
                        errors->join(u"; "_s));
                done(subject);
                return;
            }
            const TriggerExpression &chosen = exprs.at(best->expression);
            subject.labels = baseLabels(runbook, chosen);
            const QString service = best->sample.labels.value(u"service"_s);
            if (!service.isEmpty())
                subject.labels.insert(u"service"_s, service);
            const bool holds = compare(best->sample.value, *chosen.comparator, chosen.threshold.value);
            const bool all = runbook.trigger.mode == Trigger::Mode::All && exprs.size() > 1;
            subject.holdsNow = holds && !all;
            const QString reading = u"%1 is %2%3 (%4 %5)"_s.arg(chosen.name,
                valueText(best->sample.value, chosen.threshold), service.isEmpty() ? QString() : u" on "_s + service,
                comparatorText(*chosen.comparator), chosen.threshold.text);
            if (all && holds)
                subject.explanation
                    = reading + u"; the trigger needs all of its expressions, planned as if they held"_s;
            else if (holds)
                subject.explanation = reading + u": the trigger holds now"_s;
            else
                subject.explanation
                    = u"the trigger does not hold now (closest: %1); planned as if it fired"_s.arg(reading);
            done(subject);
        });
    }
}

} // namespace antibody
