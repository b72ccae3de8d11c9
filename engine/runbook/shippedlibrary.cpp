#include "engine/runbook/shippedlibrary.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>

namespace antibody {

QString shippedRunbookFolder()
{
    const QString installed
        = QDir(QCoreApplication::applicationDirPath()).filePath(QStringLiteral("../share/antibody/runbooks"));
    for (const QString &candidate : { installed, QStringLiteral(ANTIBODY_SOURCE_RUNBOOKS) }) {
        if (QFileInfo(candidate).isDir())
            return QDir::cleanPath(candidate);
    }
    return {};
}

} // namespace antibody
