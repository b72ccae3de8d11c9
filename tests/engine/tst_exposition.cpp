// The Prometheus text exposition format (version 0.0.4) as Exposition writes it:
// what `simulate --serve-metrics` and antibody-server's /metrics answer.
#include "engine/core/exposition.h"

#include <QTest>
#include <limits>

using namespace Qt::StringLiterals;
using antibody::MetricFamily;
using antibody::Exposition::escapedHelp;
using antibody::Exposition::escapedLabelValue;
using antibody::Exposition::number;
using antibody::Exposition::render;

class TestExposition : public QObject
{
    Q_OBJECT
private Q_SLOTS:
    void labelValues_data()
    {
        QTest::addColumn<QString>("value");
        QTest::addColumn<QString>("written");
        QTest::addRow("plain") << u"orders-db"_s << u"orders-db"_s;
        QTest::addRow("backslash") << u"C:\\temp"_s << u"C:\\\\temp"_s;
        QTest::addRow("double quote") << u"say \"hi\""_s << u"say \\\"hi\\\""_s;
        QTest::addRow("newline") << u"two\nlines"_s << u"two\\nlines"_s;
        QTest::addRow("escapes already written stay text") << u"\\n"_s << u"\\\\n"_s;
        QTest::addRow("closing the value early") << u"x\"} 1\nevil{a=\"b"_s << u"x\\\"} 1\\nevil{a=\\\"b"_s;
        QTest::addRow("tab, braces, commas, UTF-8 as they are") << u"a\tb},{é"_s << u"a\tb},{é"_s;
    }
    void labelValues()
    {
        QFETCH(QString, value);
        QFETCH(QString, written);
        QCOMPARE(escapedLabelValue(value), written);
    }

    // HELP escapes backslash and newline only: a quote is text there.
    void help()
    {
        QCOMPARE(escapedHelp(u"a \"quoted\" C:\\path\nsecond line"_s), u"a \"quoted\" C:\\\\path\\nsecond line"_s);
    }

    void numbers_data()
    {
        QTest::addColumn<double>("value");
        QTest::addColumn<QString>("written");
        QTest::addRow("NaN") << std::numeric_limits<double>::quiet_NaN() << u"NaN"_s;
        QTest::addRow("+Inf") << std::numeric_limits<double>::infinity() << u"+Inf"_s;
        QTest::addRow("-Inf") << -std::numeric_limits<double>::infinity() << u"-Inf"_s;
        QTest::addRow("whole") << 20.0 << u"20"_s;
        QTest::addRow("negative whole") << -3.0 << u"-3"_s;
        QTest::addRow("zero") << 0.0 << u"0"_s;
        QTest::addRow("fraction, shortest exact") << 0.95 << u"0.95"_s;
        QTest::addRow("large, exponent") << 1e20 << u"1e+20"_s;
        QTest::addRow("small") << 1.5e-7 << u"1.5e-07"_s;
    }
    void numbers()
    {
        QFETCH(double, value);
        QFETCH(QString, written);
        QCOMPARE(number(value), written);
        if (!std::isnan(value)) // what is written reads back as the same double
            QCOMPARE(written == u"+Inf"_s ? std::numeric_limits<double>::infinity() : written.toDouble(), value);
    }

    // HELP and TYPE once per family, before its samples, even when the caller gives
    // a family's samples in two parts; the samples of one family stay together.
    void familiesOnce()
    {
        MetricFamily up { u"pg_up"_s, u"gauge"_s, u"Whether PostgreSQL answers."_s, {} };
        up.add({ { u"service"_s, u"orders-db"_s } }, 1);
        MetricFamily restarts { u"kube_pod_container_status_restarts_total"_s, u"counter"_s, u"Restarts."_s, {} };
        restarts.add({ { u"pod"_s, u"a"_s } }, 2);
        MetricFamily moreUp { u"pg_up"_s, u"gauge"_s, u"ignored: the first family's help is kept"_s, {} };
        moreUp.add({ { u"service"_s, u"billing-db"_s } }, 0);
        const QString text = QString::fromUtf8(render({ up, restarts, moreUp }));
        QCOMPARE(text,
            u"# HELP pg_up Whether PostgreSQL answers.\n"
            "# TYPE pg_up gauge\n"
            "pg_up{service=\"orders-db\"} 1\n"
            "pg_up{service=\"billing-db\"} 0\n"
            "# HELP kube_pod_container_status_restarts_total Restarts.\n"
            "# TYPE kube_pod_container_status_restarts_total counter\n"
            "kube_pod_container_status_restarts_total{pod=\"a\"} 2\n"_s);
    }

    // A hostile value stays inside its quotes: no line of the output is a sample the
    // value made up, and the label reads back as it was.
    void hostileSample()
    {
        const QString hostile = u"x\"} 666\nforged_metric 1\n# TYPE forged_metric counter\\"_s;
        MetricFamily f { u"m"_s, u"gauge"_s, u"help\nwith # TYPE m counter inside"_s, {} };
        f.add({ { u"a"_s, hostile }, { u"b"_s, u"ok"_s } }, std::numeric_limits<double>::quiet_NaN());
        const QStringList lines = QString::fromUtf8(render({ f })).split(u'\n', Qt::SkipEmptyParts);
        QCOMPARE(lines.size(), 3);
        QCOMPARE(lines[0], u"# HELP m help\\nwith # TYPE m counter inside"_s);
        QCOMPARE(lines[1], u"# TYPE m gauge"_s);
        QCOMPARE(lines[2], u"m{a=\"x\\\"} 666\\nforged_metric 1\\n# TYPE forged_metric counter\\\\\",b=\"ok\"} NaN"_s);
    }

    // Histogram samples carry their suffix; labels come sorted by name, `le` among them.
    void histogram()
    {
        MetricFamily h { u"http_server_request_duration_seconds"_s, u"histogram"_s, u"Durations."_s, {} };
        h.samples << MetricFamily::Sample { u"_bucket"_s, { { u"service"_s, u"s"_s }, { u"le"_s, u"0.5"_s } }, 3 }
                  << MetricFamily::Sample { u"_bucket"_s, { { u"service"_s, u"s"_s }, { u"le"_s, u"+Inf"_s } }, 4 }
                  << MetricFamily::Sample { u"_sum"_s, { { u"service"_s, u"s"_s } }, 1.25 }
                  << MetricFamily::Sample { u"_count"_s, { { u"service"_s, u"s"_s } }, 4 };
        QCOMPARE(QString::fromUtf8(render({ h })),
            u"# HELP http_server_request_duration_seconds Durations.\n"
            "# TYPE http_server_request_duration_seconds histogram\n"
            "http_server_request_duration_seconds_bucket{le=\"0.5\",service=\"s\"} 3\n"
            "http_server_request_duration_seconds_bucket{le=\"+Inf\",service=\"s\"} 4\n"
            "http_server_request_duration_seconds_sum{service=\"s\"} 1.25\n"
            "http_server_request_duration_seconds_count{service=\"s\"} 4\n"_s);
    }

    void noLabels()
    {
        MetricFamily f { u"up"_s, u"gauge"_s, u"h"_s, {} };
        f.add({}, 1);
        QCOMPARE(render({ f }), QByteArray("# HELP up h\n# TYPE up gauge\nup 1\n"));
    }
};

QTEST_GUILESS_MAIN(TestExposition)
#include "tst_exposition.moc"
