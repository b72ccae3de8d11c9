#include "connectors/postgres/dsn.h"

#include <libpq-fe.h>

using namespace Qt::StringLiterals;

namespace antibody {

QString dsnProblem(const QString &dsn)
{
    if (dsn.trimmed().isEmpty())
        return u"is empty; expected a libpq connection string such as \"host=127.0.0.1 port=5432 dbname=postgres user=antibody\""_s;
    char *message = nullptr;
    const QByteArray text = dsn.toUtf8();
    PQconninfoOption *options = PQconninfoParse(text.constData(), &message);
    if (!options) {
        // libpq's message never contains the value of a password, only the syntax problem.
        QString why = message ? QString::fromUtf8(message).trimmed() : u"out of memory"_s;
        PQfreemem(message);
        return u"not a valid libpq connection string: %1"_s.arg(why);
    }
    QString problem;
    for (PQconninfoOption *o = options; o->keyword; ++o) {
        if (qstrcmp(o->keyword, "password") == 0 && o->val && *o->val) {
            problem = u"contains a password, which would end up in logs and process listings; remove it and use "
                      u"password_env or password_file"_s;
        }
    }
    PQconninfoFree(options);
    return problem;
}

} // namespace antibody
