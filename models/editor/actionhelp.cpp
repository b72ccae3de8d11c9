#include "models/editor/actionhelp.h"

#include "engine/core/suggestion.h"

#include <QCoreApplication>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

QString esc(const QString &s)
{
    return s.toHtmlEscaped();
}

// Backticks in catalog descriptions become code.
QString prose(const QString &text)
{
    QString out;
    bool code = false;
    for (const QString &part : esc(text).split(u'`')) {
        out += code ? u"<code>%1</code>"_s.arg(part) : part;
        code = !code;
    }
    return out;
}

QString tr(const char *text)
{
    return QCoreApplication::translate("antibody::ActionHelp", text);
}

} // namespace

QString ActionHelp::tierMeaning(Tier tier)
{
    switch (tier) {
    case Tier::Safe:
        return tr("safe: may run unattended at level 3 and above, within guardrails");
    case Tier::Approve:
        return tr("approve: a human approves every run, whatever the runbook's level");
    case Tier::Never:
        return tr("never: refused in every runbook; isolate and page a human instead");
    }
    return {};
}

QString ActionHelp::html(const ActionSpec &action, const QString &currentParam)
{
    QString h = u"<h3 style='margin:0'><code>%1</code></h3>"_s.arg(esc(action.name));
    h += u"<p style='margin-top:4px'><b>%1</b> tier — %2<br>"_s.arg(
        esc(tierText(action.tier)), esc(tierMeaning(action.tier)));
    if (action.mutates())
        h += tr("<b>Changes the system</b> (capped per cycle on <code>%1</code>: needs <code>blast_radius: { max_%1: … "
                "}</code>)")
                 .arg(esc(action.dimension));
    else if (action.effect == Effect::Notifies)
        h += tr("Notifies people; changes no system.");
    else
        h += tr("Read-only: changes nothing.");
    h += u"<br>"_s
        + tr("Family: %1 · default timeout %2").arg(esc(action.family), esc(formatDuration(action.defaultTimeout)));
    h += u"</p><p>%1</p>"_s.arg(prose(action.description));

    if (!action.params.isEmpty()) {
        h += u"<p style='margin-bottom:2px'><b>%1</b></p><table cellspacing='0' cellpadding='2'>"_s.arg(
            tr("Parameters"));
        for (const ParamSpec &p : action.params) {
            QString type = esc(paramTypeText(p.type));
            if (!p.values.isEmpty())
                type = esc(p.values.join(u" | "_s));
            QString note = p.required
                ? tr("required")
                : (p.defaultValue.isEmpty() ? tr("optional") : tr("default %1").arg(esc(p.defaultValue)));
            if (action.oneOf.contains(p.name))
                note = tr("one of %1").arg(esc(action.oneOf.join(u", "_s)));
            const bool here = p.name == currentParam;
            h += u"<tr%1><td valign='top'><code>%2%3%4</code></td><td valign='top'>%5 — %6<br><i>%7</i></td></tr>"_s
                     .arg(here ? u" style='font-weight:bold'"_s : QString(), here ? u"▸ "_s : QString(), esc(p.name),
                         p.required ? u"*"_s : QString(), type, note, prose(p.description));
        }
        h += u"</table>"_s;
    }
    if (!action.facts.isEmpty()) {
        h += u"<p style='margin-bottom:2px'><b>%1</b> %2</p><p style='margin-top:0'>"_s.arg(
            tr("Facts"), tr("(for later conditions: <code>step.fact</code>)"));
        QStringList facts;
        for (const FactSpec &f : action.facts) {
            QString t = u"<code>%1</code> (%2"_s.arg(esc(f.name), esc(paramTypeText(f.type)));
            if (!f.values.isEmpty())
                t += u": "_s + esc(f.values.join(u" | "_s));
            facts << t + u") — "_s + prose(f.description);
        }
        h += facts.join(u"<br>"_s) + u"</p>"_s;
    }
    return h;
}

QString ActionHelp::placeholder(const QString &unknownAction)
{
    if (!unknownAction.isEmpty()) {
        const QString suggestion = closestName(unknownAction, ActionCatalog::instance().names());
        QString text = tr("<p><code>%1</code> is not an action in the catalog.").arg(esc(unknownAction));
        if (!suggestion.isEmpty())
            text += u" "_s + tr("Did you mean <code>%1</code>?").arg(esc(suggestion));
        return text + u"</p><p>"_s + tr("Press Ctrl+Space after <code>action:</code> for the list.") + u"</p>"_s;
    }
    return tr("<p>Put the cursor in a step to see its action's tier, parameters and what it does.</p>"
              "<p>Ctrl+Space completes keys, action names and parameters.</p>");
}

} // namespace antibody
