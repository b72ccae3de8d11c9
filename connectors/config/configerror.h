#pragma once

#include <QList>
#include <QString>

namespace antibody {

// One problem in a configuration file: where, which key, what is wrong and what to do.
struct ConfigError
{
    QString file;
    int line = 0; // 1-based; 0 when not known
    int column = 0; // 1-based
    QString key; // "sources.prometheus.url"
    QString message;

    // "antibody.yaml:3:10: sources.prometheus.url: not an http(s) URL: ..."
    QString toString() const;
};

QString describeErrors(const QList<ConfigError> &errors);

} // namespace antibody
