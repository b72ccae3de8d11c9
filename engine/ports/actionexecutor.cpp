#include "engine/ports/actionexecutor.h"

namespace antibody {

ActionExecutor::~ActionExecutor() = default; // anchors the port's vtable in one object file

} // namespace antibody
