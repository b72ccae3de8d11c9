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
        // `password` and `sslpassword` (a client key's passphrase) alike: the DSN is shown
        // in errors, the status bar and `describe()`.
        if (QByteArrayView(o->keyword).endsWith("password") && o->val && *o->val) {
            problem = u"contains a password (%1=…), which would end up in logs and process listings; remove it and "
                      u"use password_env or password_file (for a client key's passphrase, an unencrypted key file "
                      u"readable only by Antibody)"_s.arg(QString::fromLatin1(o->keyword));
        }
    }
    PQconninfoFree(options);
    return problem;
}

} // namespace antibody
