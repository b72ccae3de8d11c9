#include "connectors/doctor/runbookneeds.h"

#include "connectors/prometheus/promqlselectors.h"
#include "engine/core/boundedfile.h"
#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/runbookloader.h"

#include <QFileInfo>
#include <QRegularExpression>

using namespace Qt::StringLiterals;

namespace antibody {
namespace {

// The first line at or after `from` (1-based) that holds `text`; `from` when none does.
int lineHolding(const QStringList &lines, const QString &text, int from)
{
    for (qsizetype i = std::max(from, 1) - 1; i < lines.size() && !text.isEmpty(); ++i) {
        if (lines.at(i).contains(text))
            return static_cast<int>(i) + 1;
    }
    return from;
}

void readExpects(const QStringList &lines, RunbookNeeds &needs)
{
    static const QRegularExpression section(u"^#\\s?[A-Z][A-Za-z ]*:"_s);
    for (qsizetype i = 0; i < lines.size() && lines.at(i).startsWith(u'#'); ++i) {
        if (!lines.at(i).startsWith(u"# Expects:"_s))
            continue;
        needs.expectsLine = static_cast<int>(i) + 1;
        QStringList parts { lines.at(i).mid(10).trimmed() };
        for (qsizetype j = i + 1; j < lines.size() && lines.at(j).startsWith(u'#'); ++j) {
            if (section.match(lines.at(j)).hasMatch())
                break;
            parts << lines.at(j).mid(1).trimmed();
        }
        needs.expects = parts.join(u' ').simplified();
        return;
    }
}

} // namespace

QString RunbookNeeds::at(int line) const
{
    return line > 0 ? u"%1:%2"_s.arg(file).arg(line) : file;
}

RunbookNeeds RunbookNeeds::of(const Runbook &runbook)
{
    RunbookNeeds needs;
    needs.file = runbook.file;
    const BoundedFile text = readBoundedFile(runbook.file, maxRunbookBytes);
    const QStringList lines = QString::fromUtf8(text.bytes).split(u'\n');
    readExpects(lines, needs);

    auto addMetric = [&](const QString &selector, const QString &readBy, int line) {
        for (const Metric &m : std::as_const(needs.metrics)) {
            if (m.selector == selector)
                return;
        }
        needs.metrics << Metric { selector, selectorName(selector), readBy, line };
    };
    int from = runbook.trigger.location.line;
    for (const TriggerExpression &e : runbook.trigger.expressions) {
        const int line = lineHolding(lines, e.text.isEmpty() ? e.name : e.text.left(40), from);
        if (e.isMetric())
            addMetric(e.selectorText(), u"the trigger"_s, line);
        else
            needs.alerts << Alert { e.name, e.text, line };
    }
    const int symptomsAt = lineHolding(lines, u"symptoms:"_s, 1);
    for (const TriggerExpression &e : runbook.symptoms) {
        if (!e.name.isEmpty())
            needs.symptoms << Alert { e.name, e.text, lineHolding(lines, e.name, symptomsAt) };
    }
    const ActionCatalog &catalog = ActionCatalog::instance();
    for (const Step &step : runbook.steps) {
        const ActionSpec *spec = catalog.find(step.action);
        for (const ParamValue &p : step.params) {
            if (p.type != ParamType::Metric)
                continue;
            for (const QString &selector : vectorSelectors(p.toText())) {
                if (!selectorName(selector).isEmpty())
                    addMetric(selector, u"step %1 (%2)"_s.arg(step.name, step.action), p.location.line);
            }
        }
        if (spec && spec->role == ActionRole::Execute)
            needs.actions << Action { step.name, step.action, spec->family, step.location.line };
    }
    return needs;
}

QString usualExporter(const QString &metric)
{
    static const QList<std::pair<QString, QString>> prefixes {
        { u"pg_"_s, u"postgres_exporter"_s },
        { u"kube_"_s, u"kube-state-metrics"_s },
        { u"container_"_s, u"cAdvisor (the kubelet)"_s },
        { u"node_"_s, u"node_exporter"_s },
        { u"probe_"_s, u"blackbox_exporter"_s },
        { u"http_server_"_s, u"the services' OpenTelemetry HTTP metrics"_s },
        { u"certmanager_"_s, u"cert-manager"_s },
    };
    for (const auto &[prefix, exporter] : prefixes) {
        if (metric.startsWith(prefix))
            return exporter;
    }
    return {};
}

} // namespace antibody
