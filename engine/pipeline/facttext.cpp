#include "engine/pipeline/facttext.h"

#include "engine/runbook/actioncatalog.h"

#include <cmath>

namespace antibody {

QString factText(const QVariant &value)
{
    if (value.typeId() == QMetaType::Double || value.typeId() == QMetaType::Float) {
        const double v = value.toDouble();
        // Whole numbers (counts, pids, timestamps) in full; measurements to four digits.
        if (std::abs(v) < 9.0e15 && v == std::floor(v))
            return QString::number(static_cast<qint64>(v));
        return QString::number(v, 'g', 4);
    }
    return value.toString();
}

bool isStepOutcomeFact(const QString &key)
{
    return key.contains(u'.') && ActionCatalog::outcomes().contains(key.section(u'.', -1));
}

} // namespace antibody
