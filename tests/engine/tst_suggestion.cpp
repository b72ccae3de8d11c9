#include "engine/core/suggestion.h"

#include <QTest>

using namespace Qt::StringLiterals;

class TestSuggestion : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void closest_data()
    {
        QTest::addColumn<QString>("word");
        QTest::addColumn<QString>("expected");
        QTest::addRow("one letter off") << u"ulr"_s << u"url"_s;
        QTest::addRow("missing letter") << u"prometeus"_s << u"prometheus"_s;
        QTest::addRow("swapped letters") << u"alertmanagre"_s << u"alertmanager"_s;
        QTest::addRow("case only") << u"URL"_s << u"url"_s;
        QTest::addRow("underscore vs dash") << u"poll-interval"_s << u"poll_interval"_s;
        QTest::addRow("exact") << u"runbooks"_s << u"runbooks"_s;
        QTest::addRow("nothing close") << u"kafka"_s << QString();
        QTest::addRow("empty") << QString() << QString();
        QTest::addRow("very long") << QString(500, u'x') << QString();
    }
    void closest()
    {
        QFETCH(QString, word);
        QFETCH(QString, expected);
        const QStringList names { u"url"_s, u"prometheus"_s, u"alertmanager"_s, u"poll_interval"_s, u"runbooks"_s,
            u"timeout"_s };
        QCOMPARE(antibody::closestName(word, names), expected);
    }

    void sentence()
    {
        QCOMPARE(antibody::didYouMean(u"tiemout", { u"timeout"_s }), u" (did you mean 'timeout'?)"_s);
        QCOMPARE(antibody::didYouMean(u"zzz", { u"timeout"_s }), QString());
        QCOMPARE(antibody::didYouMean(u"url", {}), QString());
    }
};

QTEST_GUILESS_MAIN(TestSuggestion)
#include "tst_suggestion.moc"
