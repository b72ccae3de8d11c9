#include "connectors/config/configerror.h"

#include <QStringList>

using namespace Qt::StringLiterals;

namespace antibody {

QString ConfigError::toString() const
{
    QString where = file;
    if (line > 0)
        where += u":%1:%2"_s.arg(line).arg(column);
    QString text = where.isEmpty() ? QString() : where + u": "_s;
    if (!key.isEmpty())
        text += key + u": "_s;
    return text + message;
}

QString describeErrors(const QList<ConfigError> &errors)
{
    QStringList lines;
    for (const ConfigError &e : errors)
        lines << e.toString();
    return lines.join(u'\n');
}

} // namespace antibody
