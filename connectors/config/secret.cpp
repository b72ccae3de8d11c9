#include "connectors/config/secret.h"

#include "engine/core/boundedfile.h"

#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace antibody {

QString SecretSource::describe() const
{
    if (!env.isEmpty())
        return u"environment variable %1"_s.arg(env);
    if (!file.isEmpty())
        return u"file %1"_s.arg(file);
    return u"nothing"_s;
}

SecretSource::Resolved SecretSource::resolve() const
{
    if (!env.isEmpty()) {
        const QByteArray name = env.toLocal8Bit();
        if (!qEnvironmentVariableIsSet(name.constData()))
            return { std::nullopt,
                u"%1: environment variable %2 is not set; export it before starting"_s.arg(key, env) };
        QByteArray value = qgetenv(name.constData());
        if (value.isEmpty())
            return { std::nullopt, u"%1: environment variable %2 is empty"_s.arg(key, env) };
        return { Secret(std::move(value)), {} };
    }
    if (!file.isEmpty()) {
        // A secret file is small; refuse anything that is clearly not one.
        BoundedFile read = readBoundedFile(file, 64 * 1024);
        if (!read.error.isEmpty())
            return { std::nullopt, u"%1: %2"_s.arg(key, read.error) };
        if (read.tooLarge)
            return { std::nullopt, u"%1: %2 is larger than 64 KiB; is it the right file?"_s.arg(key, file) };
        QByteArray value = std::move(read.bytes);
        if (value.endsWith('\n'))
            value.chop(1);
        if (value.endsWith('\r'))
            value.chop(1);
        if (value.isEmpty())
            return { std::nullopt, u"%1: %2 is empty"_s.arg(key, file) };
        return { Secret(std::move(value)), {} };
    }
    return { std::nullopt, u"%1: no source given"_s.arg(key) };
}

} // namespace antibody
