#pragma once

// What the suites' child processes (engineworker, storeworker) tell their parent:
// one line on stdout, flushed at once, so that a parent that kills the child right
// after reading it knows the child got that far.
#include <QByteArray>
#include <QString>
#include <cstdio>

namespace antibody::test {

inline void say(const QString &line)
{
    const QByteArray bytes = line.toUtf8() + '\n';
    std::fwrite(bytes.constData(), 1, static_cast<size_t>(bytes.size()), stdout);
    std::fflush(stdout);
}

} // namespace antibody::test
