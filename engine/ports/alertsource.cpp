#include "engine/ports/alertsource.h"

namespace antibody {

AlertSource::~AlertSource() = default; // anchors the port's vtable in one object file

} // namespace antibody
