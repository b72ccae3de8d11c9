#include "models/enginecommands.h"

#include "models/metricreader.h"

namespace antibody {

EngineCommands::~EngineCommands() = default;
MetricReader::~MetricReader() = default;

} // namespace antibody
