#include "connectors/doctor/probeoptions.h"

#include <algorithm>

namespace antibody {

HttpOptions probeOptions(HttpOptions options, Duration connect, Duration total)
{
    options.maxAttempts = 1;
    options.connectTimeout = std::min(options.connectTimeout, connect);
    options.totalTimeout = std::min(options.totalTimeout, total);
    options.maxRedirects = std::min(options.maxRedirects, 3);
    return options;
}

} // namespace antibody
