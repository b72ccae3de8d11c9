#pragma once

// A child's JSON lines (`antibodyctl watch --json`) collected as they arrive, and its
// stderr, for suites that read a running child without waiting for it to finish.
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>

namespace antibody::test {

using namespace Qt::StringLiterals;

struct JsonLines
{
    explicit JsonLines(QProcess &child)
        : process(child)
    {
    }

    QProcess &process;
    QByteArray partial;
    QByteArray errors;
    QList<QJsonObject> lines;

    // Takes in what the child wrote since; returns every line so far.
    const QList<QJsonObject> &read()
    {
        errors += process.readAllStandardError();
        partial += process.readAllStandardOutput();
        qsizetype nl;
        while ((nl = partial.indexOf('\n')) >= 0) {
            lines << QJsonDocument::fromJson(partial.left(nl)).object();
            partial.remove(0, nl + 1);
        }
        return lines;
    }
    QList<QJsonObject> ofType(const QString &type)
    {
        QList<QJsonObject> out;
        for (const QJsonObject &l : read()) {
            if (l.value(u"type"_s).toString() == type)
                out << l;
        }
        return out;
    }
    QList<qint64> eventSeqs()
    {
        QList<qint64> out;
        for (const QJsonObject &e : ofType(u"event"_s))
            out << e.value(u"seq"_s).toInteger();
        return out;
    }
    QString err()
    {
        read();
        return QString::fromUtf8(errors);
    }
};

} // namespace antibody::test
