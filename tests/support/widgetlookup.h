#pragma once

#include <QString>
#include <QWidget>

namespace antibody::test {

// The widget a person would reach, found by its objectName; a test that cannot
// find it stops at once, naming it (a null pointer would only crash later).
template <typename T> T *child(QWidget *root, const QString &name)
{
    T *w = root->findChild<T *>(name);
    if (!w)
        qFatal("no child %s", qPrintable(name));
    return w;
}

template <typename T> T *child(QWidget &root, const QString &name)
{
    return child<T>(&root, name);
}

} // namespace antibody::test
