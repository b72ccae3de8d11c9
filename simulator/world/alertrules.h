#pragma once

#include "engine/ports/alert.h"
#include "engine/ports/metricsource.h"
#include "simulator/world/metrichistory.h"

#include <QMap>
#include <functional>

namespace antibody::sim {

// The fleet's alerting rules: rules/antibody.rules.yml's alerts, same names,
// thresholds and `for:` (docs/vocabulary.md), plus the guard alerts; evaluated
// the way Prometheus evaluates them: at every scrape each rule's expression gives the series over
// its threshold; a series must stay there for the rule's `for:` before its alert
// fires; an alert that no longer matches resolves. Alerts are identified by a
// fingerprint of their labels, so the same condition is always the same alert.
class AlertRules
{
public:
    struct Match
    {
        Labels labels; // without alertname and severity
        double value = 0;
        QString summary;
    };
    struct Rule
    {
        QString name;
        QString severity;
        Duration forDuration { 0 };
        // `history` holds every scrape up to and including this one (what increase() reads).
        std::function<QList<Match>(const QList<Sample> &scrape, const MetricHistory &history, TimePoint now)> find;
    };

    AlertRules();

    // What changed since the previous evaluation: new alerts, alerts whose
    // summary changed (at most every `updateInterval`), and resolved ones.
    QList<AlertChange> evaluate(const QList<Sample> &scrape, const MetricHistory &history, TimePoint now);
    QList<Alert> firing() const;
    const QList<Rule> &rules() const { return m_rules; }

    static QString fingerprint(const Labels &labels);

private:
    struct State
    {
        Alert alert;
        bool firing = false;
        TimePoint lastSent;
        QString sentSummary;
    };

    QList<Rule> m_rules;
    QMap<QString, State> m_states; // by fingerprint; a QMap keeps the order of changes deterministic
};

} // namespace antibody::sim
