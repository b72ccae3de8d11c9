#include "app/antibodyctl/diagnosticoutput.h"

#include <QJsonArray>
#include <QJsonDocument>

using namespace Qt::StringLiterals;

namespace antibody::ctl {

QJsonObject diagnosticJson(const Diagnostic &d)
{
    return QJsonObject {
        { u"file"_s, d.file },
        { u"line"_s, d.line },
        { u"column"_s, d.column },
        { u"severity"_s, severityText(d.severity) },
        { u"code"_s, d.code },
        { u"message"_s, d.message },
        { u"hint"_s, d.hint },
    };
}

void printDiagnostics(const QList<Diagnostic> &diagnostics, QTextStream &out)
{
    for (const Diagnostic &d : diagnostics) {
        out << d.toString() << '\n';
        if (!d.hint.isEmpty())
            out << "    hint: " << d.hint << '\n';
    }
}

void printDiagnosticsJson(const QList<Diagnostic> &diagnostics, QTextStream &out)
{
    QJsonArray array;
    for (const Diagnostic &d : diagnostics)
        array << diagnosticJson(d);
    out << QJsonDocument(array).toJson(QJsonDocument::Indented);
}

QString plural(qsizetype n, const QString &word)
{
    return u"%1 %2%3"_s.arg(QString::number(n), word, n == 1 ? QString() : u"s"_s);
}

} // namespace antibody::ctl
