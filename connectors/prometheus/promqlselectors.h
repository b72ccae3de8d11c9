#pragma once

#include <QString>
#include <QStringList>
#include <QStringView>

namespace antibody {

// The vector selectors a PromQL expression reads, found by a small lexer (no
// full parser): `sum by (service) (pg_stat_activity_count{datname="appdb"}) /
// max(pg_settings_max_connections)` reads `pg_stat_activity_count{datname="appdb"}`
// and `pg_settings_max_connections`. Functions, aggregations, keywords, label
// lists, strings, numbers, durations and range brackets are skipped. In order,
// without duplicates. Used to find how old the data behind a value is.
QStringList vectorSelectors(QStringView expression);

// True when the whole expression is one selector (`up`, `job:rate:5m{job="x"}`),
// whose samples keep their own timestamps in `timestamp(...)`.
bool isPlainSelector(QStringView expression);

// The metric name of a selector: "pg_up{job=\"x\"}" -> "pg_up"; empty for `{...}` alone.
QString selectorName(QStringView selector);

} // namespace antibody
