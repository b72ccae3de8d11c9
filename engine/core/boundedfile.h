#pragma once

#include <QByteArray>
#include <QString>

namespace antibody {

// A whole small file (a runbook, a configuration, a secret, a kubeconfig), read with
// a cap that holds for anything the path may name: a FIFO would block the open until
// a writer came, and a device or a growing file never ends, so only regular files are
// read, and never more than one byte past the cap.
struct BoundedFile
{
    QByteArray bytes;
    QString error; // set: why nothing was read, in words that name the path
    bool tooLarge = false; // larger than the cap; `bytes` holds cap + 1 bytes
    bool ok() const { return error.isEmpty() && !tooLarge; }
};

BoundedFile readBoundedFile(const QString &path, qint64 maxBytes);

} // namespace antibody
