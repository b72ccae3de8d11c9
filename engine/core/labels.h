#pragma once

#include <QMap>
#include <QRegularExpression>
#include <QString>

namespace antibody {

// Alert and target labels, sorted by name so that every rendering (and hash) is stable.
using Labels = QMap<QString, QString>;

// One Prometheus-style matcher: service="orders-db", severity=~"critical|page".
struct LabelMatcher
{
    enum class Op { Equal, NotEqual, Regex, NotRegex };

    QString name;
    Op op = Op::Equal;
    QString value;

    // Regexes are anchored, as in Prometheus. An absent label matches as "".
    bool matches(const Labels &labels) const;
    QString toString() const;
    static QString opText(Op op);

    friend bool operator==(const LabelMatcher &, const LabelMatcher &) = default;
};

bool matchesAll(const QList<LabelMatcher> &matchers, const Labels &labels);

} // namespace antibody
