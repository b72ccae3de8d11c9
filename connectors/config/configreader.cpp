#include "connectors/config/configreader.h"

#include "engine/core/suggestion.h"

#include <QDir>
#include <QFileInfo>
#include <QSet>

using namespace Qt::StringLiterals;

namespace antibody {

ConfigReader::ConfigReader(QString file, QString baseDir)
    : m_file(std::move(file))
    , m_baseDir(std::move(baseDir))
{
}

QString ConfigReader::join(const QString &parent, const QString &name)
{
    return parent.isEmpty() ? name : parent + u'.' + name;
}

void ConfigReader::error(const YAML::Mark &at, const QString &key, const QString &message)
{
    // yaml-cpp counts from 0 and uses -1 for "unknown".
    const int line = at.line >= 0 ? at.line + 1 : 0;
    const int column = at.column >= 0 ? at.column + 1 : 0;
    m_errors.append(ConfigError { m_file, line, column, key, message });
}

void ConfigReader::error(const YAML::Node &at, const QString &key, const QString &message)
{
    error(at.IsDefined() ? at.Mark() : YAML::Mark::null_mark(), key, message);
}

bool ConfigReader::checkMap(const YAML::Node &node, const QString &key, const QStringList &allowed)
{
    if (!node.IsMap()) {
        error(node, key,
            node.IsNull() ? u"is empty; expected a mapping of keys (%1)"_s.arg(allowed.join(u", "_s))
                          : u"expected a mapping of keys (%1)"_s.arg(allowed.join(u", "_s)));
        return false;
    }
    QSet<QString> seen;
    for (auto it = node.begin(); it != node.end(); ++it) {
        if (!it->first.IsScalar()) {
            error(it->first, key, u"a key must be a plain name"_s);
            continue;
        }
        const QString name = QString::fromStdString(it->first.Scalar());
        const QString full = join(key, name);
        if (seen.contains(name)) {
            error(it->first, full, u"given twice; keep one"_s);
            continue;
        }
        seen.insert(name);
        if (!allowed.contains(name)) {
            error(it->first, full,
                u"unknown key%1; known keys here: %2"_s.arg(didYouMean(name, allowed), allowed.join(u", "_s)));
        }
    }
    return true;
}

std::optional<QString> ConfigReader::scalar(const YAML::Node &node, const QString &key)
{
    if (node.IsNull()) {
        error(node, key, u"is empty"_s);
        return std::nullopt;
    }
    if (!node.IsScalar()) {
        error(node, key, u"expected a single value, not a %1"_s.arg(node.IsMap() ? u"mapping"_s : u"list"_s));
        return std::nullopt;
    }
    return QString::fromStdString(node.Scalar());
}

std::optional<ConfigReader::Field> ConfigReader::field(
    const YAML::Node &map, const QString &parent, const QString &name)
{
    const YAML::Node node = map[name.toStdString()];
    if (!node.IsDefined())
        return std::nullopt;
    Field f { node, join(parent, name), {} };
    const auto value = scalar(node, f.key);
    if (!value)
        return std::nullopt;
    f.value = *value;
    return f;
}

std::optional<QString> ConfigReader::text(const YAML::Node &map, const QString &parent, const QString &name)
{
    const YAML::Node node = map[name.toStdString()];
    if (!node.IsDefined())
        return std::nullopt;
    const QString key = join(parent, name);
    auto value = scalar(node, key);
    if (value && value->trimmed().isEmpty()) {
        error(node, key, u"is empty"_s);
        return std::nullopt;
    }
    return value;
}

std::optional<bool> ConfigReader::boolean(const YAML::Node &map, const QString &parent, const QString &name)
{
    const auto f = field(map, parent, name);
    if (!f)
        return std::nullopt;
    const QString v = f->value.toLower();
    if (v == u"true"_s || v == u"yes"_s || v == u"on"_s)
        return true;
    if (v == u"false"_s || v == u"no"_s || v == u"off"_s)
        return false;
    error(f->node, f->key, u"expected true or false, not '%1'"_s.arg(f->value.left(40)));
    return std::nullopt;
}

std::optional<qint64> ConfigReader::integer(
    const YAML::Node &map, const QString &parent, const QString &name, qint64 min, qint64 max)
{
    const auto f = field(map, parent, name);
    if (!f)
        return std::nullopt;
    bool ok = false;
    const qint64 n = f->value.toLongLong(&ok);
    if (!ok) {
        error(f->node, f->key, u"expected a whole number, not '%1'"_s.arg(f->value.left(40)));
        return std::nullopt;
    }
    if (n < min || n > max) {
        error(f->node, f->key, u"%1 is out of range (%2 to %3)"_s.arg(n).arg(min).arg(max));
        return std::nullopt;
    }
    return n;
}

std::optional<QString> ConfigReader::choice(
    const YAML::Node &map, const QString &parent, const QString &name, const QStringList &values)
{
    const auto f = field(map, parent, name);
    if (!f)
        return std::nullopt;
    if (values.contains(f->value))
        return f->value;
    error(f->node, f->key,
        u"expected %1, not '%2'%3"_s.arg(values.join(u" or "_s), f->value.left(40), didYouMean(f->value, values)));
    return std::nullopt;
}

std::optional<Duration> ConfigReader::duration(
    const YAML::Node &map, const QString &parent, const QString &name, Duration min, Duration max)
{
    const auto f = field(map, parent, name);
    if (!f)
        return std::nullopt;
    const auto d = parseDuration(f->value);
    if (!d) {
        error(f->node, f->key, u"expected a duration such as 500ms, 5s or 2m, not '%1'"_s.arg(f->value.left(40)));
        return std::nullopt;
    }
    if (*d < min) {
        error(f->node, f->key, u"%1 is too short; at least %2"_s.arg(f->value, formatDuration(min)));
        return std::nullopt;
    }
    if (*d > max) {
        error(f->node, f->key, u"%1 is too long; at most %2"_s.arg(f->value, formatDuration(max)));
        return std::nullopt;
    }
    return d;
}

std::optional<QStringList> ConfigReader::textList(const YAML::Node &map, const QString &parent, const QString &name)
{
    const YAML::Node node = map[name.toStdString()];
    if (!node.IsDefined())
        return std::nullopt;
    const QString key = join(parent, name);
    if (node.IsScalar())
        return QStringList { QString::fromStdString(node.Scalar()) };
    if (!node.IsSequence()) {
        error(node, key, u"expected a list of names"_s);
        return std::nullopt;
    }
    QStringList out;
    int index = 0;
    for (const YAML::Node &item : node) {
        const QString itemKey = u"%1[%2]"_s.arg(key).arg(index++);
        if (const auto v = scalar(item, itemKey))
            out << *v;
    }
    return out;
}

std::optional<QUrl> ConfigReader::requiredHttpUrl(
    const YAML::Node &map, const QString &parent, const QString &name, const QString &example)
{
    auto url = httpUrl(map, parent, name);
    if (!url && !map[name.toStdString()].IsDefined())
        error(map, join(parent, name), u"missing; %1"_s.arg(example));
    return url;
}

std::optional<QUrl> ConfigReader::httpUrl(const YAML::Node &map, const QString &parent, const QString &name)
{
    const auto value = text(map, parent, name);
    if (!value)
        return std::nullopt;
    const YAML::Node node = map[name.toStdString()];
    const QString key = join(parent, name);
    const QUrl url(value->trimmed(), QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty() || (scheme != u"http"_s && scheme != u"https"_s)) {
        error(node, key, u"expected an http:// or https:// URL with a host, such as http://127.0.0.1:9090"_s);
        return std::nullopt;
    }
    if (!url.userInfo().isEmpty()) {
        // Said without echoing the URL: it holds a credential.
        error(node, key,
            u"the URL carries credentials, which would end up in logs; remove them and use auth.username with "
            u"auth.password_env or auth.password_file"_s);
        return std::nullopt;
    }
    return url;
}

QList<YAML::Node> ConfigReader::entries(const YAML::Node &node, const QString &key)
{
    if (node.IsSequence()) {
        QList<YAML::Node> out;
        for (const YAML::Node &item : node)
            out << item;
        if (out.isEmpty())
            error(node, key, u"is an empty list"_s);
        return out;
    }
    return { node };
}

QString ConfigReader::entryKey(const YAML::Node &section, const QString &key, qsizetype index)
{
    return section.IsSequence() ? u"%1[%2]"_s.arg(key).arg(index) : key;
}

QString ConfigReader::resolvePath(const QString &path) const
{
    QString p = path;
    if (p.startsWith(u"~/"_s))
        p = QDir::homePath() + p.mid(1);
    return QDir::cleanPath(QDir(m_baseDir).absoluteFilePath(p));
}

std::optional<QString> ConfigReader::path(
    const YAML::Node &map, const QString &parent, const QString &name, bool mustExist)
{
    const auto value = text(map, parent, name);
    if (!value)
        return std::nullopt;
    const QString resolved = resolvePath(*value);
    if (mustExist && !QFileInfo::exists(resolved)) {
        error(map[name.toStdString()], join(parent, name), u"%1 does not exist"_s.arg(resolved));
        return std::nullopt;
    }
    return resolved;
}

bool ConfigReader::hasSecret(const YAML::Node &map, const QString &name)
{
    return map.IsMap()
        && (map[(name + u"_env"_s).toStdString()].IsDefined() || map[(name + u"_file"_s).toStdString()].IsDefined());
}

std::optional<Secret> ConfigReader::secret(
    const YAML::Node &map, const QString &parent, const QString &name, bool required)
{
    const YAML::Node inline_ = map[name.toStdString()];
    if (inline_.IsDefined()) {
        // The value is never echoed back.
        error(inline_, join(parent, name),
            u"secrets never go in the configuration text; use %1_env: VARIABLE or %1_file: PATH"_s.arg(name));
        return std::nullopt;
    }
    const auto env = text(map, parent, name + u"_env"_s);
    const auto file = path(map, parent, name + u"_file"_s, false);
    if (env && file) {
        error(map[(name + u"_file"_s).toStdString()], join(parent, name + u"_file"_s),
            u"give %1_env or %1_file, not both"_s.arg(name));
        return std::nullopt;
    }
    if (!env && !file) {
        if (required)
            error(map, join(parent, name + u"_env"_s), u"missing; give %1_env: VARIABLE or %1_file: PATH"_s.arg(name));
        return std::nullopt;
    }
    SecretSource source;
    source.env = env.value_or(QString());
    source.file = file.value_or(QString());
    source.key = join(parent, name + (env ? u"_env"_s : u"_file"_s));
    const auto resolved = source.resolve();
    if (!resolved.secret) {
        const YAML::Node at = map[(name + (env ? u"_env"_s : u"_file"_s)).toStdString()];
        // resolve() already starts with the key; keep only what follows it.
        QString message = resolved.error;
        if (message.startsWith(source.key + u": "_s))
            message = message.mid(source.key.size() + 2);
        error(at, source.key, message);
        return std::nullopt;
    }
    return resolved.secret;
}

} // namespace antibody
