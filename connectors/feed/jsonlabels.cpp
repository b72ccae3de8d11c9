#include "connectors/feed/jsonlabels.h"

#include <QJsonObject>

namespace antibody {

bool readJsonLabels(const QJsonValue &value, Labels *out)
{
    if (!value.isObject())
        return false;
    const QJsonObject o = value.toObject();
    for (auto it = o.begin(); it != o.end(); ++it) {
        if (!it.value().isString())
            return false;
        out->insert(it.key(), it.value().toString());
    }
    return true;
}

} // namespace antibody
