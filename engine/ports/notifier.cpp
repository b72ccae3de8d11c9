#include "engine/ports/notifier.h"

namespace antibody {

Notifier::~Notifier() = default; // anchors the port's vtable in one object file

} // namespace antibody
