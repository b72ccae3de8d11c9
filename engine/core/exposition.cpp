#include "engine/core/exposition.h"

#include <QHash>
#include <QLocale>
#include <cmath>

using namespace Qt::StringLiterals;

namespace antibody::Exposition {

QString escapedLabelValue(const QString &value)
{
    QString out = value;
    out.replace(u'\\', u"\\\\"_s).replace(u'"', u"\\\""_s).replace(u'\n', u"\\n"_s);
    return out;
}

QString escapedHelp(const QString &help)
{
    QString out = help;
    out.replace(u'\\', u"\\\\"_s).replace(u'\n', u"\\n"_s);
    return out;
}

QString number(double value)
{
    if (std::isnan(value))
        return u"NaN"_s;
    if (std::isinf(value))
        return value > 0 ? u"+Inf"_s : u"-Inf"_s;
    // Whole numbers as integers (counters read naturally); others with the shortest exact digits.
    if (value == std::floor(value) && std::abs(value) < 1e15)
        return QString::number(static_cast<qint64>(value));
    return QString::number(value, 'g', QLocale::FloatingPointShortest);
}

QByteArray render(const QList<MetricFamily> &families)
{
    QList<MetricFamily> merged;
    QHash<QString, qsizetype> index;
    for (const MetricFamily &f : families) {
        const auto it = index.constFind(f.name);
        if (it == index.cend()) {
            index.insert(f.name, merged.size());
            merged << f;
        } else {
            merged[*it].samples << f.samples;
        }
    }
    QString out;
    for (const MetricFamily &f : std::as_const(merged)) {
        out += u"# HELP "_s + f.name + u' ' + escapedHelp(f.help) + u"\n# TYPE "_s + f.name + u' ' + f.type + u'\n';
        for (const MetricFamily::Sample &s : f.samples) {
            out += f.name + s.suffix;
            if (!s.labels.isEmpty()) {
                QStringList pairs;
                for (auto l = s.labels.cbegin(); l != s.labels.cend(); ++l)
                    pairs << l.key() + u"=\""_s + escapedLabelValue(l.value()) + u'"';
                out += u'{' + pairs.join(u',') + u'}';
            }
            out += u' ' + number(s.value) + u'\n';
        }
    }
    return out.toUtf8();
}

} // namespace antibody::Exposition
