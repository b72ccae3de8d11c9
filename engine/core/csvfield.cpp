#include "engine/core/csvfield.h"

using namespace Qt::StringLiterals;

namespace antibody {

QString csvField(const QString &value)
{
    QString field = value;
    // Alert summaries and labels come from outside: "=HYPERLINK(...)" must stay text.
    if (!field.isEmpty() && QStringView(u"=+-@\t\r").contains(field.front()))
        field.prepend(u'\'');
    if (field.contains(u'"') || field.contains(u',') || field.contains(u'\n') || field.contains(u'\r')) {
        field.replace(u"\""_s, u"\"\""_s);
        field = u'"' + field + u'"';
    }
    return field;
}

QString csvRecord(const QStringList &fields)
{
    QStringList quoted;
    quoted.reserve(fields.size());
    for (const QString &f : fields)
        quoted << csvField(f);
    return quoted.join(u',');
}

} // namespace antibody
