#include "engine/runbook/runbookschema.h"

#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/nodereader.h"
#include "engine/runbook/runbookformat.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QJsonObject ref(const QString &definition)
{
    return QJsonObject { { u"$ref"_s, u"#/definitions/"_s + definition } };
}

QJsonObject withDescription(QJsonObject schema, const QString &description)
{
    if (schema.contains(u"$ref"_s)) // draft-07 ignores siblings of $ref: wrap it
        schema = QJsonObject { { u"allOf"_s, QJsonArray { schema } } };
    schema.insert(u"description"_s, description);
    return schema;
}

QJsonObject paramSchema(const ParamSpec &p)
{
    QJsonObject s;
    switch (p.type) {
    case ParamType::String:
        s = { { u"type"_s, u"string"_s } };
        break;
    case ParamType::Integer:
        s = { { u"type"_s, u"integer"_s } };
        break;
    case ParamType::Number:
        s = { { u"type"_s, u"number"_s } };
        break;
    case ParamType::Bool:
        s = { { u"type"_s, u"boolean"_s } };
        break;
    case ParamType::Duration:
        s = ref(u"duration"_s);
        break;
    case ParamType::Percent:
        s = ref(u"percent"_s);
        break;
    case ParamType::Threshold:
        s = ref(u"threshold"_s);
        break;
    case ParamType::Count:
        s = ref(u"cap"_s);
        break;
    case ParamType::Metric:
        s = { { u"type"_s, u"string"_s }, { u"minLength"_s, 1 } };
        break;
    case ParamType::Enum:
        s = { { u"enum"_s, QJsonArray::fromStringList(p.values) } };
        break;
    case ParamType::StringList: {
        QJsonObject items { { u"type"_s, u"string"_s } };
        if (!p.values.isEmpty())
            items = { { u"enum"_s, QJsonArray::fromStringList(p.values) } };
        s = { { u"type"_s, u"array"_s }, { u"items"_s, items } };
        break;
    }
    case ParamType::StringMap:
        s = { { u"type"_s, u"object"_s }, { u"additionalProperties"_s, QJsonObject { { u"type"_s, u"string"_s } } } };
        break;
    }
    QString description = p.description;
    if (!p.defaultValue.isEmpty())
        description += u" Default: "_s + p.defaultValue + u'.';
    return withDescription(s, description);
}

// A mapping with exactly these keys (parameters or format keys), the required ones required.
template <typename Items, typename SchemaOf> QJsonObject closedObject(const Items &items, SchemaOf schemaOf)
{
    QJsonObject properties;
    QJsonArray required;
    for (const auto &item : items) {
        properties.insert(item.name, schemaOf(item));
        if (item.required)
            required << item.name;
    }
    QJsonObject s { { u"type"_s, u"object"_s }, { u"additionalProperties"_s, false }, { u"properties"_s, properties } };
    if (!required.isEmpty())
        s.insert(u"required"_s, required);
    return s;
}

QJsonObject paramsSchema(const ActionSpec &a)
{
    QJsonObject s = closedObject(a.params, paramSchema);
    if (!a.oneOf.isEmpty()) {
        QJsonArray oneOf;
        for (const QString &name : a.oneOf)
            oneOf << QJsonObject { { u"required"_s, QJsonArray { name } } };
        s.insert(u"oneOf"_s, oneOf);
    }
    return s;
}

QJsonObject keySchema(const FormatKey &k)
{
    QJsonObject s;
    switch (k.kind) {
    case ValueKind::Text:
    case ValueKind::Expression:
    case ValueKind::Condition:
        s = { { u"type"_s, u"string"_s } };
        break;
    case ValueKind::Name:
        s = ref(u"name"_s);
        break;
    case ValueKind::Integer:
        s = { { u"type"_s, u"integer"_s }, { u"minimum"_s, k.minimum }, { u"maximum"_s, k.maximum } };
        break;
    case ValueKind::Duration:
        s = ref(u"duration"_s);
        break;
    case ValueKind::Choice:
        s = { { u"enum"_s, QJsonArray::fromStringList(k.values) } };
        break;
    case ValueKind::ExpressionList:
        s = { { u"type"_s, u"array"_s }, { u"minItems"_s, 1 },
            { u"items"_s, QJsonObject { { u"type"_s, u"string"_s } } } };
        break;
    case ValueKind::Selector:
        s = { { u"type"_s, u"string"_s }, { u"pattern"_s, u"^\\s*\\{.*\\}\\s*$"_s } };
        break;
    case ValueKind::TextList:
        s = { { u"type"_s, u"array"_s }, { u"items"_s, QJsonObject { { u"type"_s, u"string"_s } } } };
        break;
    case ValueKind::ServiceList:
        s = { { u"type"_s, u"array"_s }, { u"minItems"_s, 1 }, { u"maxItems"_s, k.maximum },
            { u"items"_s,
                QJsonObject { { u"type"_s, u"string"_s }, { u"pattern"_s, NodeReader::serviceNamePattern } } } };
        break;
    case ValueKind::Section:
        s = ref(k.section);
        break;
    case ValueKind::SectionList:
        s = { { u"type"_s, u"array"_s }, { u"items"_s, ref(k.section) } };
        if (k.required)
            s.insert(u"minItems"_s, 1);
        break;
    case ValueKind::Action:
        s = { { u"enum"_s, QJsonArray::fromStringList(ActionCatalog::instance().names()) } };
        break;
    case ValueKind::Params:
        s = { { u"type"_s, u"object"_s } };
        break;
    case ValueKind::Cap:
        s = ref(u"cap"_s);
        break;
    }
    if (!k.defaultValue.isEmpty()) {
        if (k.kind == ValueKind::Integer)
            s.insert(u"default"_s, k.defaultValue.toInt());
        else
            s.insert(u"default"_s, k.defaultValue);
    }
    return withDescription(s, k.description);
}

QJsonObject sectionSchema(const FormatSection &section)
{
    return closedObject(section.keys, keySchema);
}

// Per action: its parameters, a blast radius when it mutates, and refusal of never-tier actions.
QJsonArray stepRules()
{
    QJsonArray rules;
    for (const ActionSpec &a : ActionCatalog::instance().actions()) {
        const QJsonObject when { { u"properties"_s,
                                     QJsonObject { { u"action"_s, QJsonObject { { u"const"_s, a.name } } } } },
            { u"required"_s, QJsonArray { u"action"_s } } };
        QJsonObject then;
        if (a.tier == Tier::Never) {
            then = QJsonObject { { u"not"_s, QJsonObject {} },
                { u"description"_s, u"never automated: "_s + a.description } };
        } else {
            then.insert(u"properties"_s, QJsonObject { { u"params"_s, paramsSchema(a) } });
            QJsonArray required;
            for (const ParamSpec &p : a.params) {
                if (p.required) {
                    required << u"params"_s;
                    break;
                }
            }
            if (!a.oneOf.isEmpty() && required.isEmpty())
                required << u"params"_s;
            if (a.mutates())
                required << u"blast_radius"_s;
            if (!required.isEmpty())
                then.insert(u"required"_s, required);
        }
        rules << QJsonObject { { u"if"_s, when }, { u"then"_s, then } };
    }
    return rules;
}

} // namespace

QJsonObject runbookJsonSchema()
{
    const RunbookFormat &format = RunbookFormat::instance();
    QJsonObject definitions;
    for (const FormatSection &section : format.sections()) {
        if (section.name != u"runbook"_s)
            definitions.insert(section.name, sectionSchema(section));
    }
    QJsonObject step = definitions.value(u"step"_s).toObject();
    step.insert(u"allOf"_s, stepRules());
    definitions.insert(u"step"_s, step);
    QJsonObject trigger = definitions.value(u"trigger"_s).toObject();
    trigger.insert(u"oneOf"_s,
        QJsonArray { QJsonObject { { u"required"_s, QJsonArray { u"alert"_s } } },
            QJsonObject { { u"required"_s, QJsonArray { u"any"_s } } },
            QJsonObject { { u"required"_s, QJsonArray { u"all"_s } } } });
    definitions.insert(u"trigger"_s, trigger);
    QJsonObject drill = definitions.value(u"drill"_s).toObject();
    drill.insert(u"anyOf"_s,
        QJsonArray { QJsonObject { { u"required"_s, QJsonArray { u"scenario"_s } } },
            QJsonObject { { u"required"_s, QJsonArray { u"fault"_s } } } });
    definitions.insert(u"drill"_s, drill);

    definitions.insert(
        u"name"_s, QJsonObject { { u"type"_s, u"string"_s }, { u"pattern"_s, u"^[A-Za-z][A-Za-z0-9_-]*$"_s } });
    definitions.insert(u"duration"_s,
        QJsonObject { { u"type"_s, u"string"_s }, { u"pattern"_s, u"^([0-9]+(ms|d|h|m|s))+$"_s },
            { u"description"_s, u"Whole units, largest first: 300s, 5m, 1h30m, 250ms, 14d."_s } });
    const QJsonObject percentText { { u"type"_s, u"string"_s }, { u"pattern"_s, u"^[0-9]+(\\.[0-9]+)?%$"_s } };
    definitions.insert(u"percent"_s,
        QJsonObject { { u"anyOf"_s,
                          QJsonArray { percentText,
                              QJsonObject { { u"type"_s, u"number"_s }, { u"minimum"_s, 0 }, { u"maximum"_s, 1 } } } },
            { u"description"_s, u"A share: \"15%\" or 0.15."_s } });
    definitions.insert(u"threshold"_s,
        QJsonObject { { u"anyOf"_s,
                          QJsonArray { QJsonObject { { u"type"_s, u"number"_s } },
                              QJsonObject { { u"type"_s, u"string"_s },
                                  { u"pattern"_s, u"^-?[0-9]+(\\.[0-9]+)?(%|ms|s|m|h)?$"_s } } } },
            { u"description"_s,
                u"A number, a percentage (fraction metrics) or a duration (seconds metrics): 0.7, \"70%\", 4.2s, 800ms."_s } });
    definitions.insert(u"cap"_s,
        QJsonObject {
            { u"anyOf"_s,
                QJsonArray { QJsonObject { { u"type"_s, u"integer"_s }, { u"minimum"_s, 1 } }, percentText } },
            { u"description"_s,
                u"A share of the fleet in (0%, 100%], quoted (\"15%\"), or a whole number of at least 1."_s } });

    QJsonObject schema = sectionSchema(format.section(u"runbook"));
    schema.insert(u"$schema"_s, u"http://json-schema.org/draft-07/schema#"_s);
    schema.insert(u"$id"_s, u"https://antibody.invalid/schema/runbook.schema.json"_s);
    schema.insert(u"title"_s, u"Antibody runbook (format v1)"_s);
    schema.insert(u"description"_s,
        u"A remediation runbook: a trigger, steps of catalog actions with blast radii, and guardrails. "
        u"Generated by `antibodyctl catalog --format schema`; reference: docs/runbook-format.md."_s);
    schema.insert(u"definitions"_s, definitions);
    return schema;
}

QByteArray runbookJsonSchemaText()
{
    return QJsonDocument(runbookJsonSchema()).toJson(QJsonDocument::Indented);
}

} // namespace antibody
