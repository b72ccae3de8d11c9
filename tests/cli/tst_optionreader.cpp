// How every antibodyctl command reads its arguments: `--name value` and
// `--name=value` alike, flags without a value, the rest as given, and --data-dir
// taken out first wherever it stands.
#include "app/antibodyctl/optionreader.h"

#include <QTest>

using namespace Qt::StringLiterals;
using antibody::ctl::OptionReader;

class TestOptionReader : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void bothFormsOfAValue_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addRow("separate") << QStringList { u"--scenario"_s, u"cert-expiry"_s };
        QTest::addRow("joined") << QStringList { u"--scenario=cert-expiry"_s };
    }
    void bothFormsOfAValue()
    {
        QFETCH(QStringList, args);
        OptionReader options(args, u"simulate"_s);
        QVERIFY(options.next());
        QVERIFY(options.is(u"--scenario"));
        QVERIFY(options.isOption());
        QCOMPARE(options.take(), u"cert-expiry"_s);
        QVERIFY(!options.next());
    }

    void aValueMayBeEmptyOrLookLikeAnOption()
    {
        OptionReader options({ u"--format="_s, u"--output"_s, u"--json"_s }, u"audit"_s);
        QVERIFY(options.next());
        QCOMPARE(options.take(), QString());
        QVERIFY(options.next());
        QCOMPARE(options.take(), u"--json"_s);
        QVERIFY(!options.next());
    }

    void aMissingValueIsNamed()
    {
        OptionReader options({ u"--config"_s }, u"run"_s);
        QVERIFY(options.next());
        QCOMPARE(options.take(), std::nullopt);
        QString value;
        QString error;
        QVERIFY(!options.take(&value, &error));
        QCOMPARE(error, u"--config needs a value (see `antibodyctl run --help`)"_s);
    }

    void aFlagTakesNoValue()
    {
        OptionReader options({ u"--json"_s, u"--json=yes"_s }, u"stats"_s);
        QVERIFY(options.next());
        QVERIFY(options.flag(u"--json"));
        QVERIFY(options.next());
        QVERIFY(!options.flag(u"--json"));
        QCOMPARE(options.argument(), u"--json=yes"_s);
        QCOMPARE(options.unknown(), u"unknown option '--json=yes' (see `antibodyctl stats --help`)"_s);
    }

    void theRestAsGiven()
    {
        OptionReader options({ u"runbooks/a=b.yaml"_s, u"-h"_s, u"-x=1"_s }, u"lint"_s);
        QVERIFY(options.next());
        QVERIFY(!options.isOption());
        QCOMPARE(options.argument(), u"runbooks/a=b.yaml"_s);
        QCOMPARE(options.name(), u"runbooks/a=b.yaml"_s);
        QVERIFY(options.next());
        QVERIFY(options.flag(u"-h"));
        QVERIFY(options.next()); // only `--` options carry "=value"
        QVERIFY(options.isOption());
        QCOMPARE(options.name(), u"-x=1"_s);
    }

    void dataDir_data()
    {
        QTest::addColumn<QStringList>("args");
        QTest::addColumn<QString>("value");
        QTest::addColumn<QStringList>("rest");
        QTest::addColumn<bool>("error");
        QTest::addRow("absent") << QStringList { u"verify"_s } << QString() << QStringList { u"verify"_s } << false;
        QTest::addRow("separate") << QStringList { u"verify"_s, u"--data-dir"_s, u"/d"_s } << u"/d"_s
                                  << QStringList { u"verify"_s } << false;
        QTest::addRow("joined") << QStringList { u"--data-dir=/d"_s, u"--json"_s } << u"/d"_s
                                << QStringList { u"--json"_s } << false;
        QTest::addRow("the last wins") << QStringList { u"--data-dir=/a"_s, u"--data-dir"_s, u"/b"_s } << u"/b"_s
                                       << QStringList {} << false;
        QTest::addRow("no value") << QStringList { u"verify"_s, u"--data-dir"_s } << QString()
                                  << QStringList { u"verify"_s } << true;
        QTest::addRow("empty joined value") << QStringList { u"--data-dir="_s } << QString() << QStringList {} << true;
    }
    void dataDir()
    {
        QFETCH(QStringList, args);
        QFETCH(QString, value);
        QFETCH(QStringList, rest);
        QFETCH(bool, error);
        QString message;
        QCOMPARE(OptionReader::takeDataDir(args, &message), value);
        QCOMPARE(args, rest);
        QCOMPARE(!message.isEmpty(), error);
        if (error)
            QCOMPARE(message, u"--data-dir needs a folder: --data-dir DIR"_s);
    }
};

QTEST_GUILESS_MAIN(TestOptionReader)
#include "tst_optionreader.moc"
