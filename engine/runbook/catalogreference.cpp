#include "engine/runbook/catalogreference.h"

#include "engine/runbook/actioncatalog.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QString typeText(const ParamSpec &p)
{
    if (p.type == ParamType::Enum)
        return p.values.join(u" \\| "_s);
    if (p.type == ParamType::StringList && !p.values.isEmpty())
        return u"list of: "_s + p.values.join(u", "_s);
    return paramTypeText(p.type);
}

QString factTypeText(const FactSpec &f)
{
    return f.values.isEmpty() ? paramTypeText(f.type) : f.values.join(u" \\| "_s);
}

QString cell(QString text)
{
    return text.replace(u'|', u"\\|"_s).replace(u'\n', u' ');
}

// Wraps text at `width` columns, each line indented by `indent` spaces.
QString wrap(const QString &text, int indent, int width)
{
    QString out;
    QString line;
    const QString pad(indent, u' ');
    for (const QString &word : text.split(u' ', Qt::SkipEmptyParts)) {
        if (!line.isEmpty() && indent + line.size() + 1 + word.size() > width) {
            out += pad + line + u'\n';
            line.clear();
        }
        line += (line.isEmpty() ? QString() : u" "_s) + word;
    }
    if (!line.isEmpty())
        out += pad + line + u'\n';
    return out;
}

QString blastText(const ActionSpec &a)
{
    if (!a.mutates())
        return u"none (changes nothing)"_s;
    return a.wholeObject ? u"`max_%1` (whole object, one pass)"_s.arg(a.dimension) : u"`max_%1`"_s.arg(a.dimension);
}

} // namespace

QString catalogText()
{
    QString out;
    for (const ActionSpec &a : ActionCatalog::instance().actions()) {
        out += u"%1  %2 · %3"_s.arg(a.name, tierText(a.tier), effectText(a.effect));
        if (a.mutates())
            out += u" · blast radius max_%1"_s.arg(a.dimension)
                + (a.wholeObject ? u" · whole object, one pass"_s : QString());
        out += u" · timeout %1\n"_s.arg(formatDuration(a.defaultTimeout));
        out += wrap(a.description, 4, 100);
        // Aligned columns: name, type, required or default, then the description.
        QList<QStringList> rows;
        QList<qsizetype> widths { 0, 0, 0 };
        for (const ParamSpec &p : a.params) {
            const QString type = p.type == ParamType::Enum ? p.values.join(u'|')
                : !p.values.isEmpty()                      ? u"list of "_s + p.values.join(u'|')
                                                           : paramTypeText(p.type);
            const QString need = p.required ? u"required"_s
                : p.defaultValue.isEmpty()  ? u"optional"_s
                                            : u"= "_s + p.defaultValue;
            rows << QStringList { p.name, type, need };
            for (int c = 0; c < 3; ++c)
                widths[c] = std::max(widths[c], rows.back().at(c).size());
        }
        // A long default (a list) would squeeze the descriptions: then they go below.
        const bool below = 4 + widths[0] + widths[1] + widths[2] + 6 > 60;
        for (qsizetype r = 0; r < rows.size(); ++r) {
            const QString head = u"    %1  %2  %3  "_s.arg(rows[r][0].leftJustified(widths[0]),
                rows[r][1].leftJustified(widths[1]), rows[r][2].leftJustified(widths[2]));
            if (below) {
                out += head.trimmed().prepend(u"    "_s) + u'\n' + wrap(a.params[r].description, 8, 110);
                continue;
            }
            const QString body = wrap(a.params[r].description, static_cast<int>(head.size()), 110);
            out += head + body.mid(head.size());
        }
        if (!a.oneOf.isEmpty())
            out += u"    (exactly one of: %1)\n"_s.arg(a.oneOf.join(u", "_s));
        if (!a.facts.isEmpty()) {
            QStringList facts;
            for (const FactSpec &f : a.facts)
                facts << f.name;
            out += wrap(u"facts: "_s + facts.join(u", "_s), 4, 110);
        }
        out += u'\n';
    }
    out += u"Every step also has the outcomes %1 for conditions (`verify.failed`).\n"_s.arg(
        ActionCatalog::outcomes().join(u", "_s));
    return out;
}

QString catalogMarkdown()
{
    const auto &actions = ActionCatalog::instance().actions();
    QString out;
    out += u"| action | tier | effect | blast radius |\n|---|---|---|---|\n"_s;
    for (const ActionSpec &a : actions)
        out += u"| [`%1`](#action-%2) | %3 | %4 | %5 |\n"_s.arg(
            a.name, QString(a.name).replace(u'_', u'-'), tierText(a.tier), effectText(a.effect), blastText(a));
    for (const ActionSpec &a : actions) {
        out += u"\n<a id=\"action-%1\"></a>\n\n### `%2`\n\n"_s.arg(QString(a.name).replace(u'_', u'-'), a.name);
        out += a.description + u"\n\n"_s;
        out += u"Tier **%1** · %2 · blast radius %3 · default timeout %4 · executor family `%5`\n"_s.arg(
            tierText(a.tier), effectText(a.effect), blastText(a), formatDuration(a.defaultTimeout), a.family);
        if (!a.params.isEmpty()) {
            out += u"\n| parameter | type | required | default | description |\n|---|---|---|---|---|\n"_s;
            for (const ParamSpec &p : a.params) {
                const QString description = p.unit.isEmpty() || p.unit == paramTypeText(p.type)
                    ? p.description
                    : p.description + u" ("_s + p.unit + u')';
                out += u"| `%1` | %2 | %3 | %4 | %5 |\n"_s.arg(p.name, typeText(p), p.required ? u"yes"_s : u"no"_s,
                    p.defaultValue.isEmpty() ? QString() : u'`' + p.defaultValue + u'`', cell(description));
            }
        } else {
            out += u"\nNo parameters.\n"_s;
        }
        if (!a.oneOf.isEmpty()) {
            QStringList names;
            for (const QString &n : a.oneOf)
                names << u'`' + n + u'`';
            out += u"\nGive exactly one of %1.\n"_s.arg(names.join(u", "_s));
        }
        if (!a.facts.isEmpty()) {
            out += u"\n| fact | type | description |\n|---|---|---|\n"_s;
            for (const FactSpec &f : a.facts)
                out += u"| `%1` | %2 | %3 |\n"_s.arg(f.name, factTypeText(f), cell(f.description));
        }
    }
    return out;
}

QByteArray catalogJson()
{
    QJsonArray actions;
    for (const ActionSpec &a : ActionCatalog::instance().actions()) {
        QJsonArray params;
        for (const ParamSpec &p : a.params) {
            QJsonObject o { { u"name"_s, p.name }, { u"type"_s, paramTypeText(p.type) }, { u"required"_s, p.required },
                { u"description"_s, p.description } };
            if (!p.defaultValue.isEmpty())
                o.insert(u"default"_s, p.defaultValue);
            if (!p.unit.isEmpty())
                o.insert(u"unit"_s, p.unit);
            if (!p.values.isEmpty())
                o.insert(u"values"_s, QJsonArray::fromStringList(p.values));
            params << o;
        }
        QJsonArray facts;
        for (const FactSpec &f : a.facts) {
            QJsonObject o { { u"name"_s, f.name }, { u"type"_s, paramTypeText(f.type) },
                { u"description"_s, f.description } };
            if (!f.values.isEmpty())
                o.insert(u"values"_s, QJsonArray::fromStringList(f.values));
            facts << o;
        }
        QJsonObject action { { u"name"_s, a.name }, { u"family"_s, a.family }, { u"tier"_s, tierText(a.tier) },
            { u"effect"_s, effectText(a.effect) }, { u"mutates"_s, a.mutates() },
            { u"default_timeout_seconds"_s, static_cast<double>(a.defaultTimeout.count()) / 1000.0 },
            { u"description"_s, a.description }, { u"params"_s, params }, { u"facts"_s, facts } };
        if (a.mutates()) {
            action.insert(u"dimension"_s, a.dimension);
            action.insert(u"whole_object"_s, a.wholeObject);
        }
        if (!a.oneOf.isEmpty())
            action.insert(u"one_of"_s, QJsonArray::fromStringList(a.oneOf));
        actions << action;
    }
    const QJsonObject root { { u"actions"_s, actions },
        { u"outcomes"_s, QJsonArray::fromStringList(ActionCatalog::outcomes()) },
        { u"dimensions"_s, QJsonArray::fromStringList(ActionCatalog::dimensions()) } };
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

} // namespace antibody
