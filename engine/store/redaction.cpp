#include "engine/store/redaction.h"

#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace antibody {

namespace {

// Key names, lower-cased with separators removed: "X-Api-Key" -> "xapikey".
QString normalizedKey(QStringView key)
{
    QString out;
    out.reserve(key.size());
    for (const QChar c : key) {
        if (c.isLetterOrNumber())
            out += c.toLower();
    }
    return out;
}

struct TextRule
{
    QRegularExpression pattern;
    QString replacement;
};

const QList<TextRule> &textRules()
{
    static const QList<TextRule> rules = [] {
        const auto ci = QRegularExpression::CaseInsensitiveOption;
        const QString r = Redaction::marker();
        return QList<TextRule> {
            // -----BEGIN RSA PRIVATE KEY----- ... -----END RSA PRIVATE KEY-----
            { QRegularExpression(u"-----BEGIN [A-Z ]*PRIVATE KEY-----.*?(-----END [A-Z ]*PRIVATE KEY-----|$)"_s,
                  QRegularExpression::DotMatchesEverythingOption),
                r },
            // scheme://user:password@host
            { QRegularExpression(u"([a-z][a-z0-9+.-]*://[^/\\s:@]*):[^@\\s/]*@"_s, ci), u"\\1:"_s + r + u"@"_s },
            // Authorization: <anything>, to the end of the line
            { QRegularExpression(u"\\b((?:proxy-)?authorization)(\\s*[=:]\\s*)(\"[^\"]*\"|'[^']*'|[^\\r\\n,;]+)"_s, ci),
                u"\\1\\2"_s + r },
            // Bearer xyz, Basic dXNlcjpwYXNz: the credential has a digit or a symbol, so that prose
            // such as "Basic connectivity restored" stays readable
            { QRegularExpression(
                  u"\\b(Bearer|Basic|Token|Digest)\\s+(?=[A-Za-z0-9._~+/=:-]*[0-9._~+/=:-])[A-Za-z0-9._~+/=:-]{8,}"_s,
                  ci),
                u"\\1 "_s + r },
            // password=..., token: ..., api_key='...' in conninfo strings, query strings, config text
            { QRegularExpression(u"\\b([a-z_-]*(?:password|passwd|pwd|secret|token|api[_-]?key|access[_-]?key|"
                                 "private[_-]?key|routing[_-]?key|integration[_-]?key|credentials?))"
                                 "(\\s*[=:]\\s*)('[^']*'|\"[^\"]*\"|[^\\s&,;'\"]+)"_s,
                  ci),
                u"\\1\\2"_s + r },
            // JSON web tokens
            { QRegularExpression(u"\\beyJ[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]{5,}\\.[A-Za-z0-9_-]+"_s), r },
            // AWS access key ids, GitHub and Slack tokens
            { QRegularExpression(u"\\b(AKIA|ASIA)[0-9A-Z]{16}\\b"_s), r },
            { QRegularExpression(u"\\bgh[pousr]_[A-Za-z0-9]{20,}\\b"_s), r },
            { QRegularExpression(u"\\bxox[abposr]-[A-Za-z0-9-]{10,}\\b"_s), r },
            // Antibody's own API tokens, abt_<id>_<secret>: the id is public and stays, so that a
            // row still says which token was pasted (docs/team.md, "Identities")
            { QRegularExpression(u"\\b(abt_[0-9a-f]{8,64})_[A-Za-z0-9_-]{16,}"_s), u"\\1_"_s + r },
        };
    }();
    return rules;
}

} // namespace

QString Redaction::marker()
{
    return u"[redacted]"_s;
}

bool Redaction::isSecretKey(QStringView key)
{
    static const QStringList exact { u"pwd"_s, u"passwd"_s, u"auth"_s, u"passphrase"_s };
    static const QStringList contained { u"password"_s, u"secret"_s, u"token"_s, u"apikey"_s, u"accesskey"_s,
        u"privatekey"_s, u"authorization"_s, u"credential"_s, u"cookie"_s, u"sessionid"_s, u"routingkey"_s,
        u"integrationkey"_s, u"signature"_s };
    const QString k = normalizedKey(key);
    if (exact.contains(k))
        return true;
    for (const QString &c : contained) {
        if (k.contains(c))
            return true;
    }
    return false;
}

QString Redaction::text(const QString &text)
{
    if (text.isEmpty())
        return text;
    QString out = text;
    for (const TextRule &rule : textRules())
        out.replace(rule.pattern, rule.replacement);
    return out;
}

QJsonValue Redaction::value(const QJsonValue &value)
{
    switch (value.type()) {
    case QJsonValue::String:
        return text(value.toString());
    case QJsonValue::Object:
        return object(value.toObject());
    case QJsonValue::Array:
        return array(value.toArray());
    default:
        return value;
    }
}

QJsonObject Redaction::object(const QJsonObject &object)
{
    QJsonObject out;
    for (auto it = object.begin(); it != object.end(); ++it)
        out.insert(it.key(), isSecretKey(it.key()) ? QJsonValue(marker()) : value(it.value()));
    return out;
}

QJsonArray Redaction::array(const QJsonArray &array)
{
    QJsonArray out;
    for (const QJsonValue &v : array)
        out.append(value(v));
    return out;
}

QVariantMap Redaction::map(const QVariantMap &map)
{
    return object(QJsonObject::fromVariantMap(map)).toVariantMap();
}

} // namespace antibody
