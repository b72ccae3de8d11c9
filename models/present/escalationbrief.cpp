#include "models/present/escalationbrief.h"

#include "engine/pipeline/diagnosisfindings.h"
#include "engine/pipeline/facttext.h"
#include "models/jsontreemodel.h"
#include "models/present/humantime.h"

#include <QCoreApplication>
#include <QJsonArray>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// One line per leaf: "pool_utilization: 0.97". Nested keys are joined with dots.
void flatten(const QString &prefix, const QJsonValue &value, QStringList &out)
{
    if (value.isObject()) {
        const QJsonObject object = value.toObject();
        for (auto it = object.constBegin(); it != object.constEnd(); ++it)
            flatten(prefix.isEmpty() ? it.key() : prefix + u'.' + it.key(), it.value(), out);
    } else if (value.isArray()) {
        const QJsonArray array = value.toArray();
        QStringList scalars;
        bool allScalars = true;
        for (const QJsonValue &v : array) {
            if (v.isObject() || v.isArray())
                allScalars = false;
            else
                scalars << JsonTreeModel::scalarText(v);
        }
        if (allScalars) {
            out << u"%1: %2"_s.arg(prefix, scalars.join(u", "_s));
        } else {
            for (qsizetype i = 0; i < array.size(); ++i)
                flatten(u"%1[%2]"_s.arg(prefix).arg(i), array.at(i), out);
        }
    } else {
        out << u"%1: %2"_s.arg(
            prefix, value.isDouble() ? factText(value.toDouble()) : JsonTreeModel::scalarText(value));
    }
}

// The diagnostics bundle less what the findings already said: the facts, and in each
// step's evidence the values read, the metric and window named, the points charted.
QJsonObject unsaid(const Incident &incident)
{
    QJsonObject diagnostics = incident.diagnostics;
    diagnostics.remove(u"facts"_s);
    diagnostics.remove(u"alerts"_s); // the incident view lists the grouped alerts above the brief
    QJsonObject steps = diagnostics.value(u"steps"_s).toObject();
    for (auto it = steps.begin(); it != steps.end(); ++it) {
        QJsonObject evidence = it.value().toObject();
        const bool read = incident.facts.contains(it.key() + u".value"_s);
        for (const QString &key : evidence.keys()) {
            const bool said = read && (key == u"metric" || key == u"window" || key == u"points");
            if (said || incident.facts.contains(it.key() + u'.' + key))
                evidence.remove(key);
        }
        it.value() = evidence;
    }
    if (!steps.isEmpty())
        diagnostics.insert(u"steps"_s, steps);
    return diagnostics;
}

} // namespace

EscalationBrief EscalationBrief::of(const Incident &incident, const std::optional<Proposal> &proposal,
    const ExecutionProgress &progress, const Runbook *runbook)
{
    EscalationBrief brief;
    QString why = incident.history.isEmpty() ? QString() : incident.history.back().reason;
    brief.headline = why.isEmpty() ? tr("%1: escalated to a human").arg(incident.service)
                                   : tr("%1: escalated — %2").arg(incident.service, why);

    Section paged { tr("Why you were paged"), {} };
    if (!why.isEmpty())
        paged.lines << why;
    for (Guard g : incident.guards)
        paged.lines << guardReason(g);
    if (proposal) {
        const QString block = proposal->blockReason();
        if (!block.isEmpty() && !paged.lines.contains(block))
            paged.lines << block;
    }
    if (paged.lines.isEmpty())
        paged.lines << tr("The engine could not resolve this incident on its own.");
    brief.sections << paged;

    Section tried { tr("What the automation did"), {} };
    if (!progress.started()) {
        tried.lines << tr("Nothing was executed: state is preserved as it was when the alert fired.");
    } else {
        for (const StepProgress &s : progress.steps) {
            QString line = u"%1 (%2): %3"_s.arg(s.step, s.action, StepProgress::statusText(s.status));
            if (s.pass > 1)
                line += tr(", %1 passes").arg(s.pass);
            if (!s.affected.isEmpty())
                line += tr(" — touched %1").arg(s.affected.join(u", "_s));
            if (!s.detail.isEmpty() && s.status != StepProgress::Status::Pending)
                line += u" — "_s + s.detail;
            tried.lines << line;
        }
    }
    brief.sections << tried;

    Section found { tr("What it found"), diagnosisFindings(incident, runbook) };
    flatten({}, unsaid(incident), found.lines);
    if (found.lines.isEmpty())
        found.lines << tr("No diagnostics were collected.");
    brief.sections << found;

    Section alert { tr("The alert"), {} };
    alert.lines << tr("%1, severity %2, detected %3 UTC")
                       .arg(incident.title.isEmpty() ? incident.id : incident.title,
                           incident.severity.isEmpty() ? tr("unknown") : incident.severity,
                           formatTime(incident.detectedAt));
    for (auto it = incident.annotations.cbegin(); it != incident.annotations.cend(); ++it)
        alert.lines << u"%1: %2"_s.arg(it.key(), it.value());
    for (auto it = incident.labels.cbegin(); it != incident.labels.cend(); ++it)
        alert.lines << u"%1=%2"_s.arg(it.key(), it.value());
    brief.sections << alert;
    return brief;
}

QString EscalationBrief::toPlainText() const
{
    QString text = headline + u"\n"_s;
    for (const Section &s : sections) {
        text += u"\n"_s + s.title + u"\n"_s;
        for (const QString &line : s.lines)
            text += u"  "_s + line + u"\n"_s;
    }
    return text;
}

} // namespace antibody
