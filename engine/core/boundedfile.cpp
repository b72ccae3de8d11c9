#include "engine/core/boundedfile.h"

#include <QFile>
#include <QFileInfo>

using namespace Qt::StringLiterals;

namespace antibody {

BoundedFile readBoundedFile(const QString &path, qint64 maxBytes)
{
    BoundedFile out;
    const QFileInfo info(path);
    if (!info.exists()) {
        out.error = u"%1 does not exist"_s.arg(path);
        return out;
    }
    if (info.isDir()) {
        out.error = u"%1 is a folder, not a file"_s.arg(path);
        return out;
    }
    if (!info.isFile()) {
        out.error = u"%1 is not a regular file (a pipe, a socket or a device); give the path of a file"_s.arg(path);
        return out;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        out.error = u"cannot read %1 (%2)"_s.arg(path, file.errorString());
        return out;
    }
    out.bytes = file.read(maxBytes + 1);
    if (file.error() != QFileDevice::NoError) {
        out.error = u"cannot read %1 (%2)"_s.arg(path, file.errorString());
        out.bytes.clear();
        return out;
    }
    out.tooLarge = out.bytes.size() > maxBytes;
    return out;
}

} // namespace antibody
