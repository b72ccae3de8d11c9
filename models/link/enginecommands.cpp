#include "models/link/enginecommands.h"

#include "models/link/metricreader.h"

namespace antibody {

EngineCommands::~EngineCommands() = default;
MetricReader::~MetricReader() = default;

} // namespace antibody
