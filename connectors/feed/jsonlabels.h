#pragma once

#include "engine/core/labels.h"

#include <QJsonValue>

namespace antibody {

// Reads a JSON object of text values ({"service": "orders-db"}) into labels;
// false when it is not an object or any value is not text. Monitoring APIs
// (Prometheus, Alertmanager) send labels and annotations this way.
bool readJsonLabels(const QJsonValue &value, Labels *out);

} // namespace antibody
