// The docs, the JSON Schema and the catalog must agree: the generated parts are
// byte-for-byte what the catalog renders now, and every action, parameter, format key
// and diagnostic code appears where a reader looks for it.
#include "engine/runbook/actioncatalog.h"
#include "engine/runbook/catalogreference.h"
#include "engine/runbook/diagnosticcode.h"
#include "engine/runbook/runbookformat.h"
#include "engine/runbook/runbookschema.h"

#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

const char *regenerate = "out of date with the catalog: run scripts/update-runbook-docs and commit the result";
const QString beginMarker = u"<!-- BEGIN GENERATED: antibodyctl catalog --format markdown -->"_s;
const QString endMarker = u"<!-- END GENERATED: antibodyctl catalog --format markdown -->"_s;

QString sourceFile(const QString &path)
{
    QFile f(qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + u'/' + path);
    return f.open(QIODevice::ReadOnly) ? QString::fromUtf8(f.readAll()) : QString();
}

QString docs()
{
    return sourceFile(u"docs/runbook-format.md"_s);
}

QJsonObject checkedInSchema()
{
    return QJsonDocument::fromJson(sourceFile(u"resources/schema/runbook.schema.json"_s).toUtf8()).object();
}

// The table rows (first cell, whole row) that follow a `<!-- keys: NAME -->` marker.
QMap<QString, QString> keyTable(const QString &text, const QString &section)
{
    QMap<QString, QString> rows;
    const qsizetype at = text.indexOf(u"<!-- keys: "_s + section + u" -->"_s);
    if (at < 0)
        return rows;
    const QStringList lines = text.mid(at).split(u'\n').mid(1);
    for (const QString &line : lines) {
        if (!line.startsWith(u'|'))
            break;
        const QString first = line.section(u'|', 1, 1).trimmed();
        if (first.startsWith(u'`'))
            rows.insert(first.mid(1, first.size() - 2), line);
    }
    return rows;
}

// The part of the action reference about one action.
QString actionSection(const QString &text, const QString &action)
{
    const qsizetype start = text.indexOf(u"### `"_s + action + u"`\n"_s);
    if (start < 0)
        return {};
    const qsizetype next = text.indexOf(u"\n### "_s, start + 1);
    return text.mid(start, next < 0 ? -1 : next - start);
}

} // namespace

class TestRunbookDocs : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void sourcesAreThere()
    {
        QVERIFY2(!docs().isEmpty(), "docs/runbook-format.md not found (ANTIBODY_SOURCE_DIR)");
        QVERIFY2(!checkedInSchema().isEmpty(), "resources/schema/runbook.schema.json missing or not JSON");
    }

    void schemaIsCurrent()
    {
        QVERIFY2(sourceFile(u"resources/schema/runbook.schema.json"_s).toUtf8() == runbookJsonSchemaText(),
            qPrintable(u"resources/schema/runbook.schema.json is "_s + QString::fromLatin1(regenerate)));
    }

    void actionReferenceIsCurrent()
    {
        const QString text = docs();
        const qsizetype begin = text.indexOf(beginMarker);
        const qsizetype end = text.indexOf(endMarker);
        QVERIFY2(begin >= 0 && end > begin, "docs/runbook-format.md lacks its GENERATED markers");
        const QString embedded = text.mid(begin + beginMarker.size() + 1, end - begin - beginMarker.size() - 1);
        QVERIFY2(embedded == catalogMarkdown(),
            qPrintable(u"the action reference in docs/runbook-format.md is "_s + QString::fromLatin1(regenerate)));
    }

    void everyActionAndParameterIsInTheSchema()
    {
        const QJsonObject step = checkedInSchema()[u"definitions"_s][u"step"_s].toObject();
        QSet<QString> actionEnum;
        for (const QJsonValue &v : step[u"properties"_s][u"action"_s][u"enum"_s].toArray())
            actionEnum.insert(v.toString());
        QMap<QString, QJsonObject> rules;
        for (const QJsonValue &rule : step[u"allOf"_s].toArray())
            rules.insert(
                rule[u"if"_s][u"properties"_s][u"action"_s][u"const"_s].toString(), rule[u"then"_s].toObject());
        for (const ActionSpec &a : ActionCatalog::instance().actions()) {
            QVERIFY2(actionEnum.contains(a.name), qPrintable(a.name + u" is not in the schema's action list"_s));
            QVERIFY2(rules.contains(a.name), qPrintable(a.name + u" has no rule in the schema"_s));
            if (a.tier == Tier::Never)
                continue; // refused outright: no parameters to describe
            const QJsonObject params = rules[a.name][u"properties"_s][u"params"_s][u"properties"_s].toObject();
            QCOMPARE(params.size(), a.params.size());
            for (const ParamSpec &p : a.params)
                QVERIFY2(params.contains(p.name), qPrintable(a.name + u'.' + p.name + u" is not in the schema"_s));
            const bool needsBlastRadius = rules[a.name][u"required"_s].toArray().contains(u"blast_radius"_s);
            QCOMPARE(needsBlastRadius, a.mutates());
        }
    }

    void everyActionAndParameterIsInTheDocs()
    {
        const QString text = docs();
        for (const ActionSpec &a : ActionCatalog::instance().actions()) {
            const QString section = actionSection(text, a.name);
            QVERIFY2(!section.isEmpty(), qPrintable(a.name + u" has no section in docs/runbook-format.md"_s));
            QVERIFY2(section.contains(u"Tier **"_s + tierText(a.tier) + u"**"_s), qPrintable(a.name));
            for (const ParamSpec &p : a.params)
                QVERIFY2(section.contains(u"| `"_s + p.name + u"` |"_s),
                    qPrintable(a.name + u'.' + p.name + u" is not in the docs"_s));
            for (const FactSpec &f : a.facts)
                QVERIFY2(section.contains(u"| `"_s + f.name + u"` |"_s),
                    qPrintable(a.name + u'.' + f.name + u" (fact) is not in the docs"_s));
        }
    }

    void everyFormatKeyIsInTheDocs()
    {
        const QString text = docs();
        for (const FormatSection &section : RunbookFormat::instance().sections()) {
            const QMap<QString, QString> rows = keyTable(text, section.name);
            QVERIFY2(!rows.isEmpty(), qPrintable(u"no <!-- keys: "_s + section.name + u" --> table in the docs"_s));
            const QStringList names = section.keyNames();
            QCOMPARE(QSet<QString>(rows.keyBegin(), rows.keyEnd()), QSet<QString>(names.begin(), names.end()));
            for (const FormatKey &k : section.keys) {
                if (!k.defaultValue.isEmpty())
                    QVERIFY2(rows[k.name].contains(u"| `"_s + k.defaultValue + u"` |"_s),
                        qPrintable(
                            section.name + u'.' + k.name + u": the docs do not give the default "_s + k.defaultValue));
                QVERIFY2(rows[k.name].contains(u"**required**"_s) == k.required,
                    qPrintable(section.name + u'.' + k.name + (k.required ? u" is required"_s : u" is optional"_s)
                        + u", the docs say otherwise"_s));
            }
        }
    }

    void everyDiagnosticCodeIsInTheDocs()
    {
        const QString text = docs();
        for (const DiagnosticCodeInfo &info : diagnosticCodes()) {
            const QString row = u"| `"_s + info.name + u"` | "_s + severityText(info.severity) + u" |"_s;
            QVERIFY2(text.contains(row), qPrintable(u"docs/runbook-format.md lacks the row: "_s + row));
        }
    }
};

QTEST_GUILESS_MAIN(TestRunbookDocs)
#include "tst_runbookdocs.moc"
