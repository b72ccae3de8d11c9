// Review finding 20: text from outside (an alert's summary, its labels) reaches a
// terminal and a spreadsheet. The timeline prints it as one harmless line; both CSV
// exports write it as text, never as a formula.
#include "app/antibodyctl/timeline.h"
#include "engine/core/csvfield.h"

#include <QJsonDocument>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

class TestHostileOutput : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void timelineLinesStayOneHarmlessLine_data()
    {
        QTest::addColumn<QString>("detail");
        QTest::addColumn<QString>("shown");
        QTest::addRow("plain") << u"pool at 95%"_s << u"pool at 95%"_s;
        QTest::addRow("forged line") << u"pool ok\n  +0:01  resolved  INC-1  fake"_s
                                     << u"pool ok   +0:01  resolved  INC-1  fake"_s;
        QTest::addRow("terminal escape") << u"\x1b]0;pwned\x07red"_s << u"\\x1b]0;pwned\\x07red"_s;
        QTest::addRow("carriage return") << u"ok\roverwritten"_s << u"ok overwritten"_s;
        QTest::addRow("bidi override") << u"a\u202Eb"_s << u"a\\x202eb"_s;
        QTest::addRow("unicode letters stay") << u"Zürich 東京"_s << u"Zürich 東京"_s;
    }

    void timelineLinesStayOneHarmlessLine()
    {
        QFETCH(QString, detail);
        QFETCH(QString, shown);
        const QString line = ctl::timelineLine(5, u"detected"_s, u"INC-1"_s, detail);
        QCOMPARE(line.count(u'\n'), 1);
        QVERIFY(line.endsWith(u'\n'));
        QVERIFY2(line.contains(shown), qPrintable(line));
        for (const QChar c : line.chopped(1))
            QVERIFY2(c.category() != QChar::Other_Control && c.category() != QChar::Other_Format, qPrintable(line));
    }

    // Review finding 15c: what `run` and `simulate` print, in lines or JSON, holds no
    // secret an event may have quoted (the store already keeps none).
    void printedEventsHoldNoSecrets()
    {
        EngineEvent e;
        e.kind = EngineEvent::Kind::StepFinished;
        e.incidentId = u"INC-1"_s;
        e.detail = u"webhook said: Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.c2VjcmV0.abc and password=hunter2"_s;
        e.data = QJsonObject { { u"routing_key"_s, u"R0UT1NGK3Y"_s }, { u"note"_s, u"password=hunter2"_s } };
        const QString line = ctl::timelineLine(3, e);
        const QString json = QString::fromUtf8(QJsonDocument(ctl::timelineJson(3, e)).toJson());
        for (const QString &printed : { line, json }) {
            QVERIFY2(!printed.contains(u"hunter2"_s), qPrintable(printed));
            QVERIFY2(!printed.contains(u"R0UT1NGK3Y"_s), qPrintable(printed));
            QVERIFY2(!printed.contains(u"c2VjcmV0"_s), qPrintable(printed));
            QVERIFY2(printed.contains(u"[redacted]"_s), qPrintable(printed));
        }
    }

    void csvFieldsAreTextNeverFormulas_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("field");
        QTest::addRow("plain") << u"orders-db"_s << u"orders-db"_s;
        QTest::addRow("formula") << u"=HYPERLINK(\"http://x\",\"y\")"_s
                                 << u"\"'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")\""_s;
        QTest::addRow("plus") << u"+1+1"_s << u"'+1+1"_s;
        QTest::addRow("minus") << u"-2"_s << u"'-2"_s;
        QTest::addRow("at") << u"@SUM(A1)"_s << u"'@SUM(A1)"_s;
        QTest::addRow("tab") << u"\t=1"_s << u"'\t=1"_s;
        QTest::addRow("comma") << u"a,b"_s << u"\"a,b\""_s;
        QTest::addRow("newline") << u"a\nb"_s << u"\"a\nb\""_s;
        QTest::addRow("empty") << QString() << QString();
    }

    void csvFieldsAreTextNeverFormulas()
    {
        QFETCH(QString, value);
        QFETCH(QString, field);
        QCOMPARE(csvField(value), field);
    }

    // Every field of a record passes the guard, the last as much as the first.
    void csvRecordsGuardEveryField()
    {
        QCOMPARE(csvRecord({ u"=1"_s, u"a,b"_s, u"@x"_s }), u"'=1,\"a,b\",'@x"_s);
        QCOMPARE(csvRecord({}), QString());
    }
};

QTEST_GUILESS_MAIN(TestHostileOutput)
#include "tst_hostileoutput.moc"
