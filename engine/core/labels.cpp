#include "engine/core/labels.h"

#include <QHash>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

bool regexMatches(const QString &pattern, const QString &value)
{
    // Matchers are evaluated for every alert; compiling once per pattern keeps intake cheap.
    thread_local QHash<QString, QRegularExpression> cache;
    auto it = cache.find(pattern);
    if (it == cache.end()) {
        if (cache.size() > 1024)
            cache.clear();
        it = cache.insert(pattern, QRegularExpression(QRegularExpression::anchoredPattern(pattern)));
    }
    return it->isValid() && it->match(value).hasMatch();
}

} // namespace

bool LabelMatcher::matches(const Labels &labels) const
{
    const QString actual = labels.value(name);
    switch (op) {
    case Op::Equal:
        return actual == value;
    case Op::NotEqual:
        return actual != value;
    case Op::Regex:
        return regexMatches(value, actual);
    case Op::NotRegex:
        return !regexMatches(value, actual);
    }
    return false;
}

QString LabelMatcher::opText(Op op)
{
    switch (op) {
    case Op::Equal:
        return u"="_s;
    case Op::NotEqual:
        return u"!="_s;
    case Op::Regex:
        return u"=~"_s;
    case Op::NotRegex:
        return u"!~"_s;
    }
    return {};
}

QString LabelMatcher::toString() const
{
    QString escaped = value;
    escaped.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s);
    return name + opText(op) + u'"' + escaped + u'"';
}

bool matchesAll(const QList<LabelMatcher> &matchers, const Labels &labels)
{
    return std::all_of(matchers.begin(), matchers.end(), [&](const LabelMatcher &m) { return m.matches(labels); });
}

} // namespace antibody
