// sanayicin_websocket_closes_total: the code label comes from the client's
// close frame, so it must stay bounded (one series per known code, the rest
// as "other") whatever codes clients send.

#include "metrics/server_metrics.h"

#include <QtTest>

using namespace sanayicin;

class tst_CloseMetrics : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void everyCodeGivesFewSeries()
    {
        MetricsRegistry registry;
        ServerMetrics metrics(registry);
        for (int code = -1; code <= 0x10000; ++code)
            metrics.countClose(code);
        QSet<QByteArray> series;
        for (const QByteArray &line : registry.render().split('\n'))
            if (line.startsWith("sanayicin_websocket_closes_total{"))
                series.insert(line.left(line.indexOf('}') + 1));
        QCOMPARE(series.size(), 18); // 17 known codes and "other"
        QVERIFY(series.contains(R"(sanayicin_websocket_closes_total{code="other"})"));
        QVERIFY(series.contains(R"(sanayicin_websocket_closes_total{code="1002"})"));
    }

    void labels_data()
    {
        QTest::addColumn<int>("code");
        QTest::addColumn<QByteArray>("label");
        for (int known : {1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014,
                          4000, 4001, 4003})
            QTest::addRow("%d", known) << known << QByteArray::number(known);
        for (int other : {0, 999, 1004, 1015, 1016, 2999, 3000, 4002, 4999, 5000, 65535})
            QTest::addRow("%d", other) << other << QByteArray("other");
    }

    void labels()
    {
        QFETCH(int, code);
        QFETCH(QByteArray, label);
        QCOMPARE(ServerMetrics::closeCodeLabel(code), label);
    }
};

QTEST_GUILESS_MAIN(tst_CloseMetrics)
#include "tst_close_metrics.moc"
