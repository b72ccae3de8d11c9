#pragma once

#include <QString>

namespace antibody {

// The folder of the shipped runbook library: next to an installed executable
// (<prefix>/share/antibody/runbooks), else in the source tree it was built from.
// Empty when neither exists. The console's demo, its editor and
// `antibodyctl simulate` start from it when they are given no runbooks.
QString shippedRunbookFolder();

} // namespace antibody
