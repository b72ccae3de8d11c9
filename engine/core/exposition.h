#pragma once

#include "engine/core/labels.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace antibody {

// One metric family of the Prometheus text exposition format (version 0.0.4): a
// name, a type (counter, gauge, histogram, summary, untyped), a help line and its
// samples. A sample's `suffix` extends the family's name (a histogram's `_bucket`,
// `_sum`, `_count`); it is empty for counters and gauges.
struct MetricFamily
{
    struct Sample
    {
        QString suffix;
        Labels labels;
        double value = 0;
    };

    QString name;
    QString type;
    QString help;
    QList<Sample> samples;

    void add(const Labels &labels, double value) { samples << Sample { {}, labels, value }; }
};

// The text format as Prometheus scrapes it: `# HELP` and `# TYPE` once per family,
// label values with backslash, double quote and newline escaped, help text with
// backslash and newline escaped, NaN and infinities as `NaN`, `+Inf`, `-Inf`.
// Families of the same name are merged into the first, so that each family appears
// once, as the format requires. No timestamps: Prometheus stamps a scrape itself.
namespace Exposition {

QByteArray render(const QList<MetricFamily> &families);
QString escapedLabelValue(const QString &value);
QString escapedHelp(const QString &help);
QString number(double value);

// The content type of a scrape's answer.
inline constexpr char contentType[] = "text/plain; version=0.0.4; charset=utf-8";

} // namespace Exposition

} // namespace antibody
