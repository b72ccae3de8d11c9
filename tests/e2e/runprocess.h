#pragma once

// `antibodyctl run --json` as a child process, its JSON lines collected as they arrive:
// what the end-to-end suites that run the real engine share (the real stack's suites,
// tst_fleetremediation).
#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QList>
#include <QProcess>
#include <QProcessEnvironment>
#include <QString>
#include <QStringList>
#include <optional>

namespace antibody::test {

using namespace Qt::StringLiterals;

// One line of `antibodyctl run --json`.
struct Line
{
    double t = 0;
    QString incident;
    QString kind;
    QString detail;
    QJsonObject data;
};

// The blast radius a `proposed` line's data gives for one step; empty when it has none.
inline QJsonObject blastRadiusOf(const QJsonObject &proposed, const QString &step)
{
    for (const QJsonValue &r : proposed.value(u"blast_radius"_s).toArray()) {
        if (r.toObject().value(u"step"_s).toString() == step)
            return r.toObject();
    }
    return {};
}

// `antibodyctl run` as a child process, its JSON lines collected as they arrive.
class RunProcess
{
public:
    void start(const QStringList &args, const QString &dataHome)
    {
        QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
        env.insert(u"XDG_DATA_HOME"_s, dataHome);
        m_process.setProcessEnvironment(env);
        m_process.start(QStringLiteral(ANTIBODYCTL), args);
    }
    ~RunProcess()
    {
        if (m_process.state() != QProcess::NotRunning) {
            m_process.kill();
            m_process.waitForFinished(10'000);
        }
    }

    QProcess &process() { return m_process; }
    QString errors()
    {
        read();
        return QString::fromUtf8(m_err);
    }
    const QList<Line> &lines()
    {
        read();
        return m_lines;
    }
    std::optional<Line> first(const QString &kind, const QString &incident = {})
    {
        for (const Line &l : lines()) {
            if (l.kind == kind && (incident.isEmpty() || l.incident == incident))
                return l;
        }
        return std::nullopt;
    }
    QList<Line> all(const QString &kind, const QString &incident)
    {
        QList<Line> out;
        for (const Line &l : lines()) {
            if (l.kind == kind && l.incident == incident)
                out << l;
        }
        return out;
    }
    // Everything it printed, for failure messages.
    QString transcript()
    {
        read();
        return QString::fromUtf8(m_err) + u"\n--- stdout ---\n"_s + QString::fromUtf8(m_seen);
    }
    QStringList badLines() const { return m_bad; }

private:
    void read()
    {
        m_err += m_process.readAllStandardError();
        m_partial += m_process.readAllStandardOutput();
        qsizetype nl;
        while ((nl = m_partial.indexOf('\n')) >= 0) {
            const QByteArray text = m_partial.left(nl);
            m_partial.remove(0, nl + 1);
            m_seen += text + '\n';
            QJsonParseError error {};
            const QJsonObject o = QJsonDocument::fromJson(text, &error).object();
            if (error.error != QJsonParseError::NoError || !o.contains(u"t"_s) || !o.contains(u"kind"_s)) {
                m_bad << QString::fromUtf8(text);
                continue;
            }
            m_lines << Line { o.value(u"t"_s).toDouble(), o.value(u"incident"_s).toString(),
                o.value(u"kind"_s).toString(), o.value(u"detail"_s).toString(), o.value(u"data"_s).toObject() };
        }
    }

    QProcess m_process;
    QByteArray m_partial;
    QByteArray m_seen;
    QByteArray m_err;
    QList<Line> m_lines;
    QStringList m_bad;
};

} // namespace antibody::test
