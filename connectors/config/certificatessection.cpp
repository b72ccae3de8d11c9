// executors.certificates: per service, the PEM files its servers serve and the team's own
// renewal command for each (docs/configuration.md).
#include "connectors/config/configsections.h"

#include <QFileInfo>
#include <QRegularExpression>
#include <QSet>

using namespace Qt::StringLiterals;

namespace antibody::configsections {
namespace {

constexpr qsizetype maxArguments = 64;
constexpr qsizetype maxArgumentLength = 4096;

bool isTargetName(const QString &name)
{
    static const QRegularExpression valid(QRegularExpression::anchoredPattern(u"[A-Za-z0-9][A-Za-z0-9._-]{0,99}"_s));
    return valid.match(name).hasMatch();
}

bool isVariableName(const QString &name)
{
    static const QRegularExpression valid(QRegularExpression::anchoredPattern(u"[A-Za-z_][A-Za-z0-9_]{0,127}"_s));
    return valid.match(name).hasMatch();
}

// The command as an argument vector: never one string a shell would split.
std::optional<QStringList> readArgv(ConfigReader &r, const YAML::Node &entry, const QString &entryKey)
{
    const YAML::Node node = entry["renew"];
    const QString key = ConfigReader::join(entryKey, u"renew"_s);
    if (!node.IsDefined()) {
        r.error(entry, key,
            u"missing; the command that renews this certificate, as a list of arguments, such as [certbot, renew, "
            u"--cert-name, shop, --force-renewal]"_s);
        return std::nullopt;
    }
    if (node.IsScalar()) {
        r.error(node, key,
            u"is one string; give the command as a list of arguments, such as [certbot, renew, --cert-name, shop]: "
            u"Antibody runs it without a shell"_s);
        return std::nullopt;
    }
    if (!node.IsSequence() || node.size() == 0) {
        r.error(node, key, u"expected a non-empty list of arguments, such as [certbot, renew, --cert-name, shop]"_s);
        return std::nullopt;
    }
    if (node.size() > size_t(maxArguments)) {
        r.error(node, key, u"has %1 arguments; at most %2"_s.arg(node.size()).arg(maxArguments));
        return std::nullopt;
    }
    QStringList argv;
    bool ok = true;
    for (size_t i = 0; i < node.size(); ++i) {
        const YAML::Node item = node[i];
        const QString itemKey = u"%1[%2]"_s.arg(key).arg(i);
        if (!item.IsScalar()) {
            r.error(item, itemKey,
                u"expected one argument (a string), not a %1"_s.arg(item.IsMap() ? u"mapping"_s : u"list"_s));
            ok = false;
            continue;
        }
        const QString arg = QString::fromStdString(item.Scalar());
        if (arg.contains(QChar(0)) || arg.size() > maxArgumentLength) {
            r.error(item, itemKey,
                arg.contains(QChar(0)) ? u"contains a NUL character, which no argument can hold"_s
                                       : u"is longer than %1 characters"_s.arg(maxArgumentLength));
            ok = false;
            continue;
        }
        argv << arg;
    }
    if (!ok)
        return std::nullopt;
    QString &program = argv.first();
    if (program.trimmed().isEmpty()) {
        r.error(node[0], key + u"[0]"_s,
            u"is empty; the first argument names the program (certbot, /usr/local/bin/renew)"_s);
        return std::nullopt;
    }
    // A path is resolved like every path of the configuration, so the working directory
    // Antibody happens to start in never changes what runs; a bare name is looked up on PATH.
    if (program.contains(u'/'))
        program = r.resolvePath(program);
    return argv;
}

std::optional<CertificateConfig> readCertificate(
    ConfigReader &r, const YAML::Node &node, const QString &key, const QString &service)
{
    if (!r.checkMap(node, key, { u"name"_s, u"certificate"_s, u"renew"_s, u"timeout"_s }))
        return std::nullopt;
    CertificateConfig c;
    c.service = service;
    c.configKey = key;
    bool ok = true;
    if (const auto name = r.text(node, key, u"name"_s)) {
        if (!isTargetName(*name)) {
            r.error(node["name"], ConfigReader::join(key, u"name"_s),
                u"'%1' is not a certificate name: letters, digits, '.', '_' and '-', at most 100"_s.arg(
                    name->left(40)));
            ok = false;
        }
        c.name = *name;
    } else {
        if (!node["name"].IsDefined())
            r.error(node, ConfigReader::join(key, u"name"_s),
                u"missing; the name the plan and the timeline show, such as %1-tls"_s.arg(service));
        ok = false;
    }
    if (const auto file = r.path(node, key, u"certificate"_s, true)) {
        if (!QFileInfo(*file).isFile()) {
            r.error(node["certificate"], ConfigReader::join(key, u"certificate"_s),
                u"%1 is not a file; give the PEM file the server serves (such as fullchain.pem)"_s.arg(*file));
            ok = false;
        }
        c.file = *file;
    } else {
        if (!node["certificate"].IsDefined())
            r.error(node, ConfigReader::join(key, u"certificate"_s),
                u"missing; the PEM file the server serves, such as /etc/letsencrypt/live/%1/fullchain.pem"_s.arg(
                    service));
        ok = false;
    }
    if (const auto argv = readArgv(r, node, key))
        c.renew = *argv;
    else
        ok = false;
    if (node["timeout"].IsDefined()) {
        if (const auto t = r.duration(node, key, u"timeout"_s, Duration { 1'000 }, Duration { 1'800'000 }))
            c.timeout = *t;
        else
            ok = false;
    }
    return ok ? std::optional<CertificateConfig>(c) : std::nullopt;
}

} // namespace

std::optional<CertificatesConfig> readCertificates(ConfigReader &r, const YAML::Node &node, const QString &key)
{
    if (!r.checkMap(node, key, { u"services"_s, u"pass_env"_s }))
        return std::nullopt;
    CertificatesConfig out;
    if (const auto names = r.textList(node, key, u"pass_env"_s)) {
        for (const QString &name : *names) {
            if (!isVariableName(name))
                r.error(node["pass_env"], ConfigReader::join(key, u"pass_env"_s),
                    u"'%1' is not an environment variable name"_s.arg(name.left(40)));
            else if (!out.passEnv.contains(name))
                out.passEnv << name;
        }
    }
    const YAML::Node services = node["services"];
    const QString servicesKey = ConfigReader::join(key, u"services"_s);
    if (!services.IsDefined() || !services.IsMap() || services.size() == 0) {
        r.error(services.IsDefined() ? services : node, servicesKey,
            u"expected a mapping: service name -> its certificates ([{ name, certificate, renew }])"_s);
        return std::nullopt;
    }
    QSet<QString> names;
    for (auto it = services.begin(); it != services.end(); ++it) {
        if (!it->first.IsScalar() || it->first.Scalar().empty()) {
            r.error(it->first, servicesKey, u"a service must be a plain name"_s);
            continue;
        }
        const QString service = QString::fromStdString(it->first.Scalar());
        const QString serviceKey = ConfigReader::join(servicesKey, service);
        const QList<YAML::Node> items = r.entries(it->second, serviceKey);
        for (qsizetype i = 0; i < items.size(); ++i) {
            const QString itemKey = ConfigReader::entryKey(it->second, serviceKey, i);
            auto c = readCertificate(r, items[i], itemKey, service);
            if (!c)
                continue;
            if (names.contains(c->name)) {
                r.error(items[i]["name"], ConfigReader::join(itemKey, u"name"_s),
                    u"a second certificate named '%1'; give each a distinct name"_s.arg(c->name));
                continue;
            }
            names.insert(c->name);
            out.services[service] << *c;
        }
    }
    return out;
}

} // namespace antibody::configsections
