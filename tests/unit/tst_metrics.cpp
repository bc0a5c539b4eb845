// MetricsRegistry::render: the Prometheus text exposition format.

#include "metrics/metrics.h"

#include <QtTest>

using namespace sanayicin;

namespace {

QList<QByteArray> lines(const QByteArray &text)
{
    QList<QByteArray> out = text.split('\n');
    if (!out.isEmpty() && out.last().isEmpty())
        out.removeLast();
    return out;
}

} // namespace

class tst_Metrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void counterAndGauge();
    void labelsAndOneHeaderPerFamily();
    void histogramIsCumulative();
    void histogramWithLabels();
    void histogramBoundaryGoesIntoItsBucket();
    void callbackGaugeIsReadAtScrape();
    void sameChildIsReturnedTwice();
    void labelValueEscaping_data();
    void labelValueEscaping();
    void latencyBucketsAreIncreasing();
    void everyLineIsWellFormed();
};

void tst_Metrics::counterAndGauge()
{
    MetricsRegistry r;
    r.counter("sanayicin_messages_received_total", "Messages received.").inc(3);
    Gauge &g = r.gauge("sanayicin_ws_connections", "Open WebSocket connections.");
    g.set(10);
    g.add(-3);
    QCOMPARE(r.render(), QByteArray("# HELP sanayicin_messages_received_total Messages received.\n"
                                    "# TYPE sanayicin_messages_received_total counter\n"
                                    "sanayicin_messages_received_total 3\n"
                                    "# HELP sanayicin_ws_connections Open WebSocket connections.\n"
                                    "# TYPE sanayicin_ws_connections gauge\n"
                                    "sanayicin_ws_connections 7\n"));
}

void tst_Metrics::labelsAndOneHeaderPerFamily()
{
    MetricsRegistry r;
    r.counter("sanayicin_http_requests_total", "HTTP requests.", R"(route="/a",status="200")").inc();
    r.counter("sanayicin_http_requests_total", "HTTP requests.", R"(route="/a",status="404")").inc(2);
    r.counter("sanayicin_http_requests_total", "HTTP requests.", R"(route="/b",status="200")").inc(5);
    const QList<QByteArray> l = lines(r.render());
    QCOMPARE(l.size(), 5);
    QCOMPARE(l.count("# TYPE sanayicin_http_requests_total counter"), 1);
    QCOMPARE(l.count("# HELP sanayicin_http_requests_total HTTP requests."), 1);
    QVERIFY(l.contains(R"(sanayicin_http_requests_total{route="/a",status="200"} 1)"));
    QVERIFY(l.contains(R"(sanayicin_http_requests_total{route="/a",status="404"} 2)"));
    QVERIFY(l.contains(R"(sanayicin_http_requests_total{route="/b",status="200"} 5)"));
    // HELP and TYPE come before the samples.
    QVERIFY(l.at(0).startsWith("# HELP"));
    QVERIFY(l.at(1).startsWith("# TYPE"));
}

void tst_Metrics::histogramIsCumulative()
{
    MetricsRegistry r;
    Histogram &h = r.histogram("sanayicin_ack_seconds", "Receive to ack.", {0.01, 0.1, 1});
    for (double v : {0.005, 0.05, 0.05, 0.5, 5.0, 0.0})
        h.observe(v);
    QCOMPARE(h.count(), 6);
    QCOMPARE(r.render(), QByteArray("# HELP sanayicin_ack_seconds Receive to ack.\n"
                                    "# TYPE sanayicin_ack_seconds histogram\n"
                                    "sanayicin_ack_seconds_bucket{le=\"0.01\"} 2\n"
                                    "sanayicin_ack_seconds_bucket{le=\"0.1\"} 4\n"
                                    "sanayicin_ack_seconds_bucket{le=\"1\"} 5\n"
                                    "sanayicin_ack_seconds_bucket{le=\"+Inf\"} 6\n"
                                    "sanayicin_ack_seconds_sum 5.605\n"
                                    "sanayicin_ack_seconds_count 6\n"));
}

void tst_Metrics::histogramWithLabels()
{
    MetricsRegistry r;
    r.histogram("sanayicin_http_seconds", "Duration.", {0.5}, R"(route="/x")").observe(0.25);
    r.histogram("sanayicin_http_seconds", "Duration.", {0.5}, R"(route="/y")").observe(2);
    const QList<QByteArray> l = lines(r.render());
    QVERIFY(l.contains(R"(sanayicin_http_seconds_bucket{route="/x",le="0.5"} 1)"));
    QVERIFY(l.contains(R"(sanayicin_http_seconds_bucket{route="/x",le="+Inf"} 1)"));
    QVERIFY(l.contains(R"(sanayicin_http_seconds_sum{route="/x"} 0.25)"));
    QVERIFY(l.contains(R"(sanayicin_http_seconds_count{route="/x"} 1)"));
    QVERIFY(l.contains(R"(sanayicin_http_seconds_bucket{route="/y",le="0.5"} 0)"));
    QVERIFY(l.contains(R"(sanayicin_http_seconds_bucket{route="/y",le="+Inf"} 1)"));
    QVERIFY(l.contains(R"(sanayicin_http_seconds_sum{route="/y"} 2)"));
    QVERIFY(l.contains(R"(sanayicin_http_seconds_count{route="/y"} 1)"));
    QCOMPARE(l.count("# TYPE sanayicin_http_seconds histogram"), 1);
}

void tst_Metrics::histogramBoundaryGoesIntoItsBucket()
{
    // "le" is "less than or equal": an observation equal to a bound counts in it.
    Histogram h({1, 2});
    h.observe(1);
    h.observe(2);
    h.observe(2.0000001);
    QCOMPARE(h.bucketCount(0), 1);
    QCOMPARE(h.bucketCount(1), 1);
    QCOMPARE(h.bucketCount(2), 1);
    QCOMPARE(h.count(), 3);
}

void tst_Metrics::callbackGaugeIsReadAtScrape()
{
    MetricsRegistry r;
    double depth = 3;
    int reads = 0;
    r.callbackGauge("sanayicin_queue_depth", "Queue depth.", [&] {
        ++reads;
        return depth;
    }, R"(queue="writer")");
    QCOMPARE(reads, 0);
    QVERIFY(lines(r.render()).contains(R"(sanayicin_queue_depth{queue="writer"} 3)"));
    depth = 42;
    QVERIFY(lines(r.render()).contains(R"(sanayicin_queue_depth{queue="writer"} 42)"));
    depth = 0.5;
    QVERIFY(lines(r.render()).contains(R"(sanayicin_queue_depth{queue="writer"} 0.5)"));
    QCOMPARE(reads, 3);
    QVERIFY(r.render().contains("# TYPE sanayicin_queue_depth gauge\n"));

    // Registering again under the same labels replaces the reader.
    r.callbackGauge("sanayicin_queue_depth", "Queue depth.", [] { return 7.0; }, R"(queue="writer")");
    QVERIFY(lines(r.render()).contains(R"(sanayicin_queue_depth{queue="writer"} 7)"));
    QCOMPARE(lines(r.render()).count(R"(sanayicin_queue_depth{queue="writer"} 7)"), 1);
}

void tst_Metrics::sameChildIsReturnedTwice()
{
    MetricsRegistry r;
    Counter &a = r.counter("sanayicin_x_total", "X.", R"(k="1")");
    Counter &b = r.counter("sanayicin_x_total", "X.", R"(k="1")");
    Counter &c = r.counter("sanayicin_x_total", "X.", R"(k="2")");
    QCOMPARE(&a, &b);
    QVERIFY(&a != &c);
    a.inc();
    b.inc();
    QCOMPARE(a.value(), 2);
    QCOMPARE(c.value(), 0);
}

void tst_Metrics::labelValueEscaping_data()
{
    QTest::addColumn<QByteArray>("raw");
    QTest::addColumn<QByteArray>("escaped");
    QTest::newRow("plain") << QByteArray("/api/v1/me") << QByteArray("/api/v1/me");
    QTest::newRow("quote") << QByteArray("a\"b") << QByteArray("a\\\"b");
    QTest::newRow("backslash") << QByteArray("a\\b") << QByteArray("a\\\\b");
    QTest::newRow("newline") << QByteArray("a\nb") << QByteArray("a\\nb");
    QTest::newRow("all") << QByteArray("\"\\\n") << QByteArray("\\\"\\\\\\n");
}

void tst_Metrics::labelValueEscaping()
{
    QFETCH(QByteArray, raw);
    QFETCH(QByteArray, escaped);
    QCOMPARE(labelValue(raw), escaped);
}

void tst_Metrics::latencyBucketsAreIncreasing()
{
    const auto b = latencyBuckets();
    QVERIFY(b.size() >= 10);
    QCOMPARE(b.front(), 0.0001);
    QCOMPARE(b.back(), 10.0);
    QVERIFY(std::is_sorted(b.begin(), b.end()));
    QVERIFY(std::adjacent_find(b.begin(), b.end()) == b.end());
}

void tst_Metrics::everyLineIsWellFormed()
{
    MetricsRegistry r;
    r.counter("sanayicin_a_total", "A.").inc();
    r.gauge("sanayicin_b", "B.", R"(x="1")").set(-2);
    r.histogram("sanayicin_c_seconds", "C.", latencyBuckets()).observe(0.003);
    r.callbackGauge("sanayicin_d", "D.", [] { return 1e20; });
    const QRegularExpression sample(
        QStringLiteral(R"(^[a-z_:][a-z0-9_:]*(\{[a-z_]+="[^"]*"(,[a-z_]+="[^"]*")*\})? \S+$)"));
    for (const QByteArray &line : lines(r.render())) {
        if (line.startsWith("# HELP ") || line.startsWith("# TYPE "))
            continue;
        QVERIFY2(sample.match(QString::fromLatin1(line)).hasMatch(), line.constData());
        bool ok = false;
        const QByteArray value = line.mid(line.lastIndexOf(' ') + 1);
        value.toDouble(&ok);
        QVERIFY2(ok, line.constData());
    }
}

QTEST_APPLESS_MAIN(tst_Metrics)
#include "tst_metrics.moc"
