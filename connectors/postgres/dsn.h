#pragma once

#include <QString>

namespace antibody {

// What is wrong with a libpq connection string, or empty when nothing is:
// libpq's own parser checks the syntax, and a password in it is refused
// (passwords come from password_env or password_file, never from the text).
QString dsnProblem(const QString &dsn);

} // namespace antibody
