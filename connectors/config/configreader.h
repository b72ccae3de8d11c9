#pragma once

#include "connectors/config/configerror.h"
#include "connectors/config/secret.h"
#include "engine/core/time.h"

#include <QList>
#include <QString>
#include <QStringList>
#include <QUrl>
#include <optional>
#include <yaml-cpp/yaml.h>

namespace antibody {

// Walks a configuration's YAML keeping the key path of every value, so that each
// error names file:line:col, the key and what to do. It collects every error
// instead of stopping at the first: a broken file is fixed in one go.
// Internal to connectors/config (it exposes yaml-cpp).
class ConfigReader
{
public:
    ConfigReader(QString file, QString baseDir);

    static QString join(const QString &parent, const QString &name);

    // A mapping whose keys are all in `allowed`; others are errors with a
    // did-you-mean, and a key given twice is an error too. False when not a mapping.
    bool checkMap(const YAML::Node &node, const QString &key, const QStringList &allowed);

    // Each returns nullopt when the key is absent, or (after recording an error) bad.
    std::optional<QString> text(const YAML::Node &map, const QString &parent, const QString &name);
    std::optional<bool> boolean(const YAML::Node &map, const QString &parent, const QString &name);
    std::optional<qint64> integer(
        const YAML::Node &map, const QString &parent, const QString &name, qint64 min, qint64 max);
    // "5s", "250ms", "1m"; at least `min`.
    // Both bounds hold: a 24-hour timeout hangs a worker as surely as none.
    std::optional<Duration> duration(
        const YAML::Node &map, const QString &parent, const QString &name, Duration min, Duration max);
    // One of `values`, as written.
    std::optional<QString> choice(
        const YAML::Node &map, const QString &parent, const QString &name, const QStringList &values);
    // A list of strings; a single string counts as a list of one.
    std::optional<QStringList> textList(const YAML::Node &map, const QString &parent, const QString &name);
    // http:// or https:// with a host, and no credentials in it.
    std::optional<QUrl> httpUrl(const YAML::Node &map, const QString &parent, const QString &name);
    // As httpUrl, and an error when the key is absent; `example` says what belongs there.
    std::optional<QUrl> requiredHttpUrl(
        const YAML::Node &map, const QString &parent, const QString &name, const QString &example);
    // A section that may be one mapping or a list of them (several databases, several
    // webhooks, a service's certificates); an empty list is an error.
    QList<YAML::Node> entries(const YAML::Node &node, const QString &key);
    // "key[2]" for an item of a list, "key" for a section that is one mapping.
    static QString entryKey(const YAML::Node &section, const QString &key, qsizetype index);
    // A path, absolute or relative to the configuration file's folder; `mustExist` checks it.
    std::optional<QString> path(const YAML::Node &map, const QString &parent, const QString &name, bool mustExist);
    // `<name>_env: VAR` or `<name>_file: PATH`, resolved now. `<name>:` with the value
    // itself is refused: secrets never live in the configuration text.
    std::optional<Secret> secret(const YAML::Node &map, const QString &parent, const QString &name, bool required);
    // Whether `<name>_env` or `<name>_file` is present.
    static bool hasSecret(const YAML::Node &map, const QString &name);

    void error(const YAML::Node &at, const QString &key, const QString &message);
    void error(const YAML::Mark &at, const QString &key, const QString &message);
    void warn(const QString &message) { m_warnings.append(message); }

    const QList<ConfigError> &errors() const { return m_errors; }
    const QStringList &warnings() const { return m_warnings; }
    QString resolvePath(const QString &path) const;

private:
    struct Field
    {
        YAML::Node node;
        QString key;
        QString value;
    };
    // A present single value with its key; nullopt when absent or not a single value.
    std::optional<Field> field(const YAML::Node &map, const QString &parent, const QString &name);
    std::optional<QString> scalar(const YAML::Node &node, const QString &key);

    QString m_file;
    QString m_baseDir;
    QList<ConfigError> m_errors;
    QStringList m_warnings;
};

} // namespace antibody
