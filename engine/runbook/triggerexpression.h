#pragma once

#include "engine/core/labels.h"
#include "engine/runbook/comparator.h"
#include "engine/runbook/measure.h"

#include <QList>
#include <QString>
#include <optional>

namespace antibody {

// One trigger expression, in the selector syntax Prometheus users already read:
//   DbConnectionPoolExhausted                       an alert by name
//   DbConnectionPoolExhausted{service="orders-db"}  ... with label matchers
//   {guard=~"data_corruption|security_incident"}    any alert with these labels
//   db_pool_utilization{service="orders-db"} > 90%  a metric crossing a threshold
struct TriggerExpression
{
    QString name;
    QList<LabelMatcher> matchers;
    std::optional<Comparator> comparator; // set: a metric expression; unset: an alert selector
    Measure threshold;
    QString text;

    bool isMetric() const { return comparator.has_value(); }
    // The selector part, as a metric source reads it: name{matchers}
    QString selectorText() const;
    // For alert selectors: does an alert with this name and these labels match?
    bool matchesAlert(const QString &alertName, const Labels &labels) const;

    struct ParseError
    {
        QString message;
        int column = 0; // 0-based offset into the text
    };
    // Either the expression or the first error in it.
    static std::optional<TriggerExpression> parse(QStringView text, ParseError *error);
};

} // namespace antibody
