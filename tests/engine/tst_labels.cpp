#include "engine/core/labels.h"

#include <QTest>

using namespace Qt::StringLiterals;
using antibody::LabelMatcher;
using antibody::Labels;
using Op = antibody::LabelMatcher::Op;

class TestLabels : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void matches_data()
    {
        QTest::addColumn<int>("op");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("expected");
        // labels: service=orders-db severity=critical
        QTest::addRow("equal") << int(Op::Equal) << u"orders-db"_s << true;
        QTest::addRow("equal other") << int(Op::Equal) << u"checkout-svc"_s << false;
        QTest::addRow("not equal") << int(Op::NotEqual) << u"checkout-svc"_s << true;
        QTest::addRow("regex anchored") << int(Op::Regex) << u"orders"_s << false;
        QTest::addRow("regex full") << int(Op::Regex) << u"orders-.*"_s << true;
        QTest::addRow("regex alternation") << int(Op::Regex) << u"checkout-svc|orders-db"_s << true;
        QTest::addRow("not regex") << int(Op::NotRegex) << u"checkout.*"_s << true;
        QTest::addRow("invalid regex never matches") << int(Op::Regex) << u"(orders"_s << false;
    }
    void matches()
    {
        QFETCH(int, op);
        QFETCH(QString, value);
        QFETCH(bool, expected);
        const Labels labels { { u"service"_s, u"orders-db"_s }, { u"severity"_s, u"critical"_s } };
        const LabelMatcher m { u"service"_s, Op(op), value };
        QCOMPARE(m.matches(labels), expected);
    }

    void absentLabelMatchesEmpty()
    {
        const Labels labels { { u"service"_s, u"orders-db"_s } };
        QVERIFY((LabelMatcher { u"zone"_s, Op::Equal, QString() }).matches(labels));
        QVERIFY(!(LabelMatcher { u"zone"_s, Op::Equal, u"a"_s }).matches(labels));
    }

    void rendersEscaped()
    {
        const LabelMatcher m { u"path"_s, Op::Regex, u"a\"b\\c"_s };
        QCOMPARE(m.toString(), u"path=~\"a\\\"b\\\\c\""_s);
    }
};

QTEST_GUILESS_MAIN(TestLabels)
#include "tst_labels.moc"
