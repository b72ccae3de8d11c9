#pragma once

#include <QByteArray>
#include <QFile>
#include <QString>

namespace antibody::test {

// A file of tests/connectors/data: real answers recorded from the real servers.
inline QByteArray dataFile(const char *name)
{
    const QString path = qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + QStringLiteral("/tests/connectors/data/")
        + QString::fromLatin1(name);
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        qFatal("missing test data %s", qPrintable(path));
    return f.readAll();
}

} // namespace antibody::test
