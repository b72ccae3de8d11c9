// Out-of-line: anchors the port's vtable in one object file.
#include "engine/ports/store.h"

namespace antibody {

Store::~Store() = default;

} // namespace antibody
