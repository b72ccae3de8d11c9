#pragma once

#include <QString>

namespace antibody {

// What is wrong with a libpq connection string, or empty when nothing is:
// libpq's own parser checks the syntax, and a password in it is refused
// (passwords come from password_env or password_file, never from the text).
QString dsnProblem(const QString &dsn);

// Where a connection string points, for messages: "host=db1 port=5432 dbname=antibody"
// (the keywords that are set, of those three). Never a password, never the user's
// text: a DSN that cannot be parsed is named as such, since libpq's message may quote it.
QString dsnLocation(const QString &dsn);
// Whether libpq can parse the connection string (its own message is withheld by callers
// that may hold a password: it quotes the text around the mistake).
bool dsnParses(const QString &dsn);

} // namespace antibody
