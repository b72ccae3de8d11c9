#include "connectors/postgres/dsn.h"

#include <QStringList>
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

bool dsnParses(const QString &dsn)
{
    const QByteArray text = dsn.toUtf8();
    char *message = nullptr;
    PQconninfoOption *options = PQconninfoParse(text.constData(), &message);
    PQfreemem(message);
    PQconninfoFree(options);
    return options != nullptr;
}

QString dsnLocation(const QString &dsn)
{
    const QByteArray text = dsn.toUtf8();
    char *message = nullptr;
    PQconninfoOption *options = PQconninfoParse(text.constData(), &message);
    PQfreemem(message);
    if (!options)
        return u"a connection string that cannot be parsed"_s;
    QStringList parts;
    for (const char *keyword : { "host", "hostaddr", "port", "dbname" }) {
        for (PQconninfoOption *o = options; o->keyword; ++o) {
            if (qstrcmp(o->keyword, keyword) == 0 && o->val && *o->val)
                parts << u"%1=%2"_s.arg(QString::fromLatin1(keyword), QString::fromUtf8(o->val));
        }
    }
    PQconninfoFree(options);
    return parts.isEmpty() ? u"the libpq defaults (PGHOST, PGPORT, PGDATABASE)"_s : parts.join(u' ');
}

} // namespace antibody
