#include "models/editor/runbookcommands.h"

namespace antibody {

RunbookCommands::~RunbookCommands() = default;

} // namespace antibody
