#include "models/enginecommands.h"

namespace antibody {

EngineCommands::~EngineCommands() = default;

} // namespace antibody
