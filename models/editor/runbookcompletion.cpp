#include "models/editor/runbookcompletion.h"

#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/runbookformat.h"
#include "models/editor/yamloutline.h"

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// Where a path of keys leads in the format: a section, or the parameters of an action.
// Not `Target`: a unity batch may hold the engine's Target too.
struct FormatPlace
{
    const FormatSection *section = nullptr;
    bool params = false;
    bool valid = true;
};

FormatPlace resolve(const QStringList &path)
{
    const RunbookFormat &format = RunbookFormat::instance();
    FormatPlace t;
    t.section = &format.section(u"runbook");
    for (const QString &element : path) {
        if (element == u"-"_s) {
            continue; // a list item: its mapping is the list's section
        }
        if (t.params || !t.section) {
            t.valid = false;
            return t;
        }
        const FormatKey *key = t.section->key(element);
        if (!key) {
            t.valid = false;
            return t;
        }
        if (key->kind == ValueKind::Section || key->kind == ValueKind::SectionList) {
            t.section = &format.section(key->section);
        } else if (key->kind == ValueKind::Params) {
            t.params = true;
            t.section = nullptr;
        } else {
            t.valid = false;
            return t;
        }
    }
    return t;
}

QString paramDetail(const ParamSpec &p)
{
    QString d = paramTypeText(p.type);
    if (p.required)
        d += u", required"_s;
    else if (!p.defaultValue.isEmpty())
        d += u", default %1"_s.arg(p.defaultValue);
    return d + u" — "_s + p.description;
}

QString actionDetail(const ActionSpec &a)
{
    return u"%1 tier · %2 · %3"_s.arg(tierText(a.tier), effectText(a.effect), a.family);
}

// `[pool, slow_queries]` -> pool, slow_queries: the choices a list parameter's default shows.
QStringList listDefault(const QString &text)
{
    QString t = text.trimmed();
    if (!t.startsWith(u'[') || !t.endsWith(u']'))
        return {};
    QStringList out;
    for (const QString &part : t.mid(1, t.size() - 2).split(u',', Qt::SkipEmptyParts))
        out << part.trimmed();
    return out;
}

void addConditionItems(const QString &text, qsizetype offset, QList<CompletionItem> &items)
{
    // Steps before the cursor's step: what they publish is known when the condition runs.
    const YamlOutline outline(text);
    const YamlStepSpan here = outline.stepAt(offset);
    for (const YamlStepSpan &step : outline.steps()) {
        if (here.isValid() && step.firstLine >= here.firstLine)
            break;
        if (step.name.isEmpty())
            continue;
        for (const QString &outcome : ActionCatalog::outcomes())
            items << CompletionItem { step.name + u'.' + outcome, step.name + u'.' + outcome,
                u"outcome of step %1"_s.arg(step.name) };
        if (const ActionSpec *a = ActionCatalog::instance().find(step.action)) {
            for (const FactSpec &f : a->facts)
                items << CompletionItem { step.name + u'.' + f.name, step.name + u'.' + f.name, f.description };
        }
    }
}

} // namespace

QStringList Completion::texts() const
{
    QStringList out;
    for (const CompletionItem &i : items)
        out << i.text;
    return out;
}

Completion RunbookCompletion::at(const QString &text, qsizetype offset)
{
    const YamlOutline outline(text);
    const YamlPlace place = outline.placeAt(offset);
    Completion c;
    c.prefix = place.prefix;
    c.replaceStart = place.prefixStart;
    if (place.kind == YamlPlace::Kind::None)
        return c;
    const FormatPlace target = resolve(place.path);
    if (!target.valid)
        return c;
    const ActionCatalog &catalog = ActionCatalog::instance();
    QList<CompletionItem> items;

    if (place.kind == YamlPlace::Kind::Key) {
        if (!place.path.isEmpty() && place.path.back() == u"-"_s && target.section
            && target.section->name == u"runbook"_s)
            return c; // an item of a plain list (tags): no keys there
        if (target.params) {
            const ActionSpec *action = catalog.find(outline.stepAt(offset).action);
            if (!action)
                return c;
            c.what = u"parameters of %1"_s.arg(action->name);
            for (const ParamSpec &p : action->params) {
                if (!place.presentKeys.contains(p.name))
                    items << CompletionItem { p.name, p.name + u": "_s, paramDetail(p) };
            }
        } else {
            c.what = u"keys of %1"_s.arg(target.section->title);
            for (const FormatKey &k : target.section->keys) {
                if (place.presentKeys.contains(k.name))
                    continue;
                const bool block
                    = k.kind == ValueKind::Section || k.kind == ValueKind::SectionList || k.kind == ValueKind::Params;
                QString detail = k.description;
                if (k.required)
                    detail.prepend(u"required — "_s);
                items << CompletionItem { k.name, k.name + (block ? u":"_s : u": "_s), detail };
            }
        }
    } else if (target.params) {
        const ActionSpec *action = catalog.find(outline.stepAt(offset).action);
        const ParamSpec *param = action ? action->param(place.key) : nullptr;
        if (!param)
            return c;
        c.what = u"values of %1"_s.arg(param->name);
        QStringList values = param->values;
        if (param->type == ParamType::Bool)
            values = { u"true"_s, u"false"_s };
        else if (param->type == ParamType::StringList)
            values = listDefault(param->defaultValue);
        for (const QString &v : std::as_const(values))
            items << CompletionItem { v, v, param->description };
    } else if (const FormatKey *key = target.section ? target.section->key(place.key) : nullptr) {
        if (key->kind == ValueKind::Action) {
            c.what = u"actions"_s;
            for (const ActionSpec &a : catalog.actions())
                items << CompletionItem { a.name, a.name, actionDetail(a) };
        } else if (key->kind == ValueKind::Choice) {
            c.what = u"values of %1"_s.arg(key->name);
            for (const QString &v : key->values)
                items << CompletionItem { v, v, key->description };
        } else if (key->kind == ValueKind::Integer && key->maximum - key->minimum <= 10) {
            c.what = u"values of %1"_s.arg(key->name);
            for (int v = key->minimum; v <= key->maximum; ++v)
                items << CompletionItem { QString::number(v), QString::number(v), key->description };
        } else if (key->kind == ValueKind::Condition) {
            c.what = u"outcomes and facts of earlier steps"_s;
            addConditionItems(text, offset, items);
        }
    }
    for (const CompletionItem &item : std::as_const(items)) {
        if (item.text.startsWith(c.prefix, Qt::CaseInsensitive))
            c.items << item;
    }
    return c;
}

} // namespace antibody
