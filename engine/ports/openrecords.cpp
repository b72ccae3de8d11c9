// Out-of-line: anchors the port's vtable in one object file.
#include "engine/ports/openrecords.h"

namespace antibody {

OpenRecords::~OpenRecords() = default;

} // namespace antibody
