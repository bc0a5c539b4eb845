// --history's writer: lines from several worker threads all reach the file
// whole (none lost, none interleaved), in each thread's order, with the
// queue bounded; a file that cannot be opened is an error.

#include "history_log.h"

#include <QFile>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <thread>
#include <vector>

using namespace sanayicin::loadgen;

class tst_LoadgenHistory : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void linesOfManyThreadsArriveWhole();
    void fieldsAreJson();
    void unwritablePathIsAnError();
};

void tst_LoadgenHistory::linesOfManyThreadsArriveWhole()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    const std::string path = dir.filePath(QStringLiteral("h.jsonl")).toStdString();
    HistoryLog log;
    std::string error;
    QVERIFY2(log.open(path, error), error.c_str());
    constexpr int kThreads = 4;
    constexpr int kLines = 50000; // ~3 MB a thread: many chunks, the queue fills
    std::vector<std::thread> threads;
    for (int w = 0; w < kThreads; ++w) {
        threads.emplace_back([&log, w] {
            HistoryBuffer b(&log);
            for (int i = 0; i < kLines; ++i)
                b.begin(1796400000000000000 + i, "send").num("c", w).num("n", i).str("cmid", "x.y.z").end();
            b.flush();
        });
    }
    for (auto &t : threads)
        t.join();
    QVERIFY(log.close());
    QCOMPARE(log.bytes(), uint64_t(QFileInfo(QString::fromStdString(path)).size()));

    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::ReadOnly));
    std::vector<int> next(kThreads, 0);
    int lines = 0;
    while (!f.atEnd()) {
        const QByteArray line = f.readLine();
        QVERIFY(line.endsWith('\n'));
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        QVERIFY2(!o.isEmpty(), line.constData());
        const int c = o.value(QStringLiteral("c")).toInt(-1);
        QVERIFY(c >= 0 && c < kThreads);
        QCOMPARE(o.value(QStringLiteral("n")).toInt(), next[c]); // each thread's order kept
        ++next[c];
        ++lines;
    }
    QCOMPARE(lines, kThreads * kLines);
}

void tst_LoadgenHistory::fieldsAreJson()
{
    QTemporaryDir dir;
    const std::string path = dir.filePath(QStringLiteral("h.jsonl")).toStdString();
    HistoryLog log;
    std::string error;
    QVERIFY(log.open(path, error));
    {
        HistoryBuffer b(&log);
        b.begin(INT64_MAX, "synced").num("c", 0).num("last", INT64_MIN).flag("more", true)
            .flag("final", false).str("code", "").end();
    } // the destructor hands the rest over
    QVERIFY(log.close());
    QFile f(QString::fromStdString(path));
    QVERIFY(f.open(QIODevice::ReadOnly));
    const QByteArray all = f.readAll();
    QCOMPARE(all, QByteArray("{\"t\":9223372036854775807,\"ev\":\"synced\",\"c\":0,\"last\":-9223372036854775808,"
                             "\"more\":true,\"final\":false,\"code\":\"\"}\n"));
    QVERIFY(!QJsonDocument::fromJson(all).isNull());
}

void tst_LoadgenHistory::unwritablePathIsAnError()
{
    HistoryLog log;
    std::string error;
    QVERIFY(!log.open("/nonexistent-dir/h.jsonl", error));
    QVERIFY2(error.find("/nonexistent-dir/h.jsonl") != std::string::npos, error.c_str());
    QVERIFY(!log.isOpen());
    QVERIFY(log.close()); // nothing to close, nothing failed
}

QTEST_GUILESS_MAIN(tst_LoadgenHistory)
#include "tst_loadgen_history.moc"
