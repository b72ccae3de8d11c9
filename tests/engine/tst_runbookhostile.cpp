// Hostile bytes: any input gives a runbook or errors, never a crash, a hang or
// unbounded memory. The named cases are the ones the format is known to invite;
// the sweeps (every prefix, every byte corrupted) catch what nobody thought of.
// tests/fuzz/ goes further with libFuzzer.
#include "engine/runbook/runbookloader.h"

#include <QFile>
#include <QRandomGenerator>
#include <QTest>

using namespace Qt::StringLiterals;
using namespace antibody;

namespace {

QByteArray shippedRunbook()
{
    QFile f(qEnvironmentVariable("ANTIBODY_SOURCE_DIR") + u"/runbooks/connection-pool-exhaustion.yaml"_s);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// The contract every input must meet.
bool consistent(const LoadResult &r)
{
    if (r.runbook.has_value() == r.hasErrors())
        return false;
    for (const Diagnostic &d : r.diagnostics) {
        if (d.code.isEmpty() || d.message.isEmpty() || d.line < 0 || d.column < 0)
            return false;
    }
    return true;
}

QStringList codes(const LoadResult &r)
{
    QStringList out;
    for (const Diagnostic &d : r.diagnostics)
        out << d.code;
    return out;
}

} // namespace

class TestRunbookHostile : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void namedCases_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::addColumn<QString>("code");

        QTest::addRow("compact nested sequences") << "x:\n  " + QByteArray("- ").repeated(60) + "a\n" << u"too-deep"_s;
        QTest::addRow("nested complex keys") << QByteArray("? ").repeated(60) + "a\n" << u"too-deep"_s;
        QTest::addRow("anchor before deep flow") << "a: &x " + QByteArray("[").repeated(60) << u"too-deep"_s;
        QTest::addRow("deep flow mappings") << "a: " + QByteArray("{b: ").repeated(60) + '\n' << u"too-deep"_s;
        QTest::addRow("megabyte of brackets") << QByteArray(1024 * 1024, '[') << u"too-deep"_s;
        QTest::addRow("200000 tiny nodes") << "a: [" + QByteArray("1,").repeated(200'000) + "1]\n"
                                           << u"file-too-large"_s;
        QTest::addRow("undefined alias") << QByteArray("name: *nowhere\n") << u"yaml-syntax"_s;
        QTest::addRow("alias inside its anchor") << QByteArray("a: &x { b: *x }\n") << u"recursive-alias"_s;
        QTest::addRow("NUL byte") << QByteArray("name: a\0b\n", 10) << u"control-character"_s;
        QTest::addRow("truncated utf-8") << QByteArray("name: \xe2\x82") << u"invalid-utf8"_s;
        QTest::addRow("utf-16 file") << QByteArray("\xff\xfen\0a\0m\0e\0", 10) << u"invalid-utf8"_s;
        QTest::addRow("only a byte order mark") << QByteArray("\xef\xbb\xbf") << u"empty-file"_s;
        QTest::addRow("only a document marker") << QByteArray("---\n") << u"empty-file"_s;
        QTest::addRow("document end then garbage") << QByteArray("name: a\n...\n]]]\n") << u"yaml-syntax"_s;
        QTest::addRow("list as key") << QByteArray("[a, b]: c\n") << u"wrong-type"_s;
        QTest::addRow("merge key") << QByteArray("base: &b { name: x }\n<<: *b\n") << u"unknown-key"_s;
        QTest::addRow("deep condition") << "name: t\ntrigger: { alert: X }\nsteps:\n  - name: a\n    action: notify\n  "
                                           "- name: b\n    action: notify\n"
                                           "    condition: \""
                + QByteArray("(").repeated(500) + "a.failed" + QByteArray(")").repeated(500)
                + "\"\n" << u"invalid-condition"_s;
        QTest::addRow("40000 keys in one mapping") << [] {
            QByteArray out = "name: t\n";
            for (int i = 0; i < 40'000; ++i)
                out += "k" + QByteArray::number(i) + ": 1\n";
            return out;
        }() << u"too-many-problems"_s;
        QTest::addRow("50000 duplicate parameters")
            << "name: t\ntrigger: { alert: X }\nsteps:\n  - name: a\n    action: notify\n    params:\n"
                + QByteArray("      message: x\n").repeated(50'000)
            << u"duplicate-key"_s;
        QTest::addRow("10000 chained steps") << [] {
            QByteArray out = "name: t\ntrigger: { alert: X }\nsteps:\n  - { name: s0, action: notify }\n";
            for (int i = 1; i < 10'000; ++i)
                out += "  - { name: s" + QByteArray::number(i) + ", action: notify, condition: s"
                    + QByteArray::number(i - 1) + ".failed }\n";
            return out + "  - { name: last, action: notify, condition: nothing.failed }\n";
        }() << u"unknown-step"_s;
        QTest::addRow("huge trigger") << "name: t\ntrigger: { alert: \"" + QByteArray("a").repeated(10'000)
                + "\" }\nsteps: [{ name: a, action: notify }]\n"
                                      << u"invalid-trigger"_s;
    }

    void namedCases()
    {
        QFETCH(QByteArray, text);
        QFETCH(QString, code);
        const LoadResult result = loadRunbookText(text, u"hostile.yaml"_s);
        QVERIFY(consistent(result));
        QVERIFY2(codes(result).contains(code), qPrintable(codes(result).join(u", "_s)));
    }

    void duplicatedKeyHasNoValue()
    {
        // Neither value may silently win: the step has no action, and nothing else is claimed.
        const QByteArray text
            = "name: t\ntrigger: { alert: X }\nsteps:\n  - name: a\n    action: notify\n    action: restart_pods\n";
        const LoadResult result = loadRunbookText(text, u"dup.yaml"_s);
        QCOMPARE(codes(result), QStringList { u"duplicate-key"_s });
        QVERIFY(!result.runbook);
    }

    // Columns inside a scalar, which the fuzzer (tests/fuzz) checks stay on their line: a
    // scalar folded over lines has no '\n' in its text, and a character outside the BMP is
    // two UTF-16 units; both used to put columns past the end of the line.
    void columnsStayOnTheirLine_data()
    {
        QTest::addColumn<QByteArray>("condition");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");

        QTest::addRow("folded plain scalar") << QByteArray("a.failed and\n      zz.failed") << 8 << 16;
        QTest::addRow("folded quoted scalar") << QByteArray("\"a.failed and\n      zz.failed\"") << 8 << 16;
        QTest::addRow("one-line plain scalar") << QByteArray("a.failed and zz.failed") << 8 << 29;
        QTest::addRow("after an anchor") << QByteArray("&c a.failed and zz.failed") << 8 << 32;
        QTest::addRow("emoji before the end")
            << QByteArray("a.failed == '\xf0\x9f\x98\x80\xf0\x9f\x98\x80' and") << 8 << 36;
    }

    void columnsStayOnTheirLine()
    {
        QFETCH(QByteArray, condition);
        QFETCH(int, line);
        QFETCH(int, column);
        const QByteArray text = "name: t\ntrigger: { alert: X }\nsteps:\n  - name: a\n    action: notify\n"
                                "  - name: b\n    action: notify\n    condition: "
            + condition + '\n';
        const LoadResult result = loadRunbookText(text, u"columns.yaml"_s);
        QVERIFY(consistent(result));
        QVERIFY(!result.runbook);
        QCOMPARE(result.diagnostics.size(), 1);
        QCOMPARE(result.diagnostics.front().line, line);
        QCOMPARE(result.diagnostics.front().column, column);
    }

    void blockScalarsMayHoldBrackets()
    {
        const QByteArray text = "name: t\ndescription: |\n  " + QByteArray("[{").repeated(100)
            + "\n  more text\ntrigger: { alert: X }\nsteps: [{ name: a, action: notify }]\n";
        const LoadResult result = loadRunbookText(text, u"block.yaml"_s);
        QVERIFY2(result.runbook, qPrintable(codes(result).join(u", "_s)));
        QVERIFY(result.runbook->description.startsWith(u"[{[{"_s));
    }

    void everyPrefix()
    {
        const QByteArray text = shippedRunbook();
        QVERIFY(!text.isEmpty());
        for (qsizetype n = 0; n <= text.size(); ++n) {
            const LoadResult result = loadRunbookText(text.left(n), u"prefix.yaml"_s);
            QVERIFY2(consistent(result), qPrintable(u"prefix of %1 bytes"_s.arg(n)));
        }
        QVERIFY(loadRunbookText(text, u"whole.yaml"_s).runbook);
    }

    void everyByteCorrupted()
    {
        const QByteArray text = shippedRunbook();
        const QByteArray nasty("\0\t\n[{&*\xff", 8);
        for (qsizetype i = 0; i < text.size(); ++i) {
            for (char c : nasty) {
                QByteArray bad = text;
                bad[i] = c;
                const LoadResult result = loadRunbookText(bad, u"corrupt.yaml"_s);
                QVERIFY2(consistent(result),
                    qPrintable(u"byte %1 set to 0x%2"_s.arg(i).arg(static_cast<unsigned char>(c), 2, 16)));
            }
        }
    }

    void randomBytes()
    {
        QRandomGenerator random(20261128); // fixed: the same bytes on every run
        for (int i = 0; i < 2000; ++i) {
            QByteArray bytes(random.bounded(1, 400), '\0');
            // Mostly YAML punctuation and letters, so the parser gets past the first byte.
            static const QByteArray alphabet("abc:- \n[]{},&*!|>'\"#?%\t0123456789.\xc3\xa9");
            for (char &b : bytes)
                b = random.bounded(8) == 0 ? static_cast<char>(random.bounded(256))
                                           : alphabet[random.bounded(alphabet.size())];
            QVERIFY2(consistent(loadRunbookText(bytes, u"random.yaml"_s)), bytes.toHex().constData());
        }
    }
};

QTEST_GUILESS_MAIN(TestRunbookHostile)
#include "tst_runbookhostile.moc"
