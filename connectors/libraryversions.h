#pragma once

#include <QString>

namespace antibody {

// The versions of the I/O libraries this build runs on, for --version and bug reports.
QString curlVersion();
QString libpqVersion();

} // namespace antibody
