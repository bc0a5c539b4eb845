// bridge/admin_wire: the console's cluster requests and replies as they come
// out of Redis. Edges of every bound, truncation at every byte, invalid
// encodings, and the per-instance page merge.

#include "bridge/admin_wire.h"

#include <QtTest>

using namespace sanayicin;
using namespace sanayicin::admin;

namespace {

const QByteArray kKickReply = R"({"id":"a-1","from":"node2","ask":"kick","found":true,"user_id":3})";

QByteArray kickWithUser(const QByteArray &number)
{
    return R"({"id":"a-1","from":"node2","ask":"kick","found":true,"user_id":)" + number + '}';
}

Reply connectionsReply(int rows, qint64 total)
{
    Reply r;
    r.id = QStringLiteral("a-1");
    r.from = QStringLiteral("node2");
    r.ask = Ask::Connections;
    r.total = total;
    for (int i = 0; i < rows; ++i)
        r.rows << ConnectionRow{i + 1, 7, QStringLiteral("ayse"), QStringLiteral("127.0.0.1"), 5, true, 0,
                                QStringLiteral("node2")};
    return r;
}

ConnectionRow conn(const char *instance, qint64 id, const char *username, qint64 opened)
{
    return ConnectionRow{id, id, QString::fromUtf8(username), QStringLiteral("10.0.0.1"), opened, true, 0,
                         QString::fromUtf8(instance)};
}

} // namespace

class tst_AdminWire : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void requestsRoundTrip();
    void repliesRoundTrip();
    void integerEdges_data();
    void integerEdges();
    void truncatedAtEveryByte();
    void invalidInput_data();
    void invalidInput();
    void rowCountEdges();
    void textLengthEdges();
    void kickNeedsTarget();
    void filters();
    void mergeIsExactAcrossInstances();
    void sortTiesAreTotal();
};

void tst_AdminWire::requestsRoundTrip()
{
    Request q;
    q.id = QStringLiteral("k-1");
    q.origin = QStringLiteral("node1");
    q.deadlineMs = 1800000000000;
    q.connections.usernamePrefix = QStringLiteral("ayşe");
    q.connections.sort = SortKey::Username;
    q.connections.descending = true;
    q.connections.limit = kMaxRows;
    q.connections.offset = kMaxOffset;
    auto back = decodeRequest(encodeRequest(q));
    QVERIFY(back);
    QCOMPARE(*back, q);
    q.ask = Ask::Series;
    q.connections = {};
    q.windowS = 3600;
    q.stepS = 10;
    back = decodeRequest(encodeRequest(q));
    QVERIFY(back);
    QCOMPARE(*back, q);
}

void tst_AdminWire::repliesRoundTrip()
{
    Reply r = connectionsReply(3, 10);
    auto back = decodeReply(encodeReply(r));
    QVERIFY(back);
    QCOMPARE(*back, r);
    Reply s;
    s.id = QStringLiteral("a-2");
    s.from = QStringLiteral("node3");
    s.ask = Ask::Series;
    StatsPoint p;
    p.second = 1800000000;
    p.messagesIn = 0.1; // not exact in binary: 17 digits bring it back
    p.ackP99Ms = 12.345678901234567;
    p.httpErrorRate = 0.3;
    p.http5xxRate = 0.1;
    s.points << p;
    back = decodeReply(encodeReply(s));
    QVERIFY(back);
    QCOMPARE(*back, s);
    Reply q;
    q.id = QStringLiteral("a-3");
    q.from = QStringLiteral("node3");
    q.ask = Ask::Queues;
    q.queues << QueueRow{QStringLiteral("writer"), 4, 120} << QueueRow{QStringLiteral("db_readers"), 0, {}};
    back = decodeReply(encodeReply(q));
    QVERIFY(back);
    QCOMPARE(*back, q);
}

void tst_AdminWire::integerEdges_data()
{
    QTest::addColumn<QByteArray>("number");
    QTest::addColumn<bool>("valid");
    QTest::newRow("0") << QByteArray("0") << true;
    QTest::newRow("2^53-1") << QByteArray("9007199254740991") << true;
    // Read as doubles, 2^53 and 2^53+1 are one number: both refused.
    QTest::newRow("2^53") << QByteArray("9007199254740992") << false;
    QTest::newRow("2^53+1") << QByteArray("9007199254740993") << false;
    QTest::newRow("2^63") << QByteArray("9223372036854775808") << false;
    QTest::newRow("2^64-1") << QByteArray("18446744073709551615") << false;
    QTest::newRow("-1") << QByteArray("-1") << false;
    QTest::newRow("1.5") << QByteArray("1.5") << false;
    QTest::newRow("1e400") << QByteArray("1e400") << false;
    QTest::newRow("1.0") << QByteArray("1.0") << true;
    QTest::newRow("string") << QByteArray("\"3\"") << false;
    QTest::newRow("null") << QByteArray("null") << false;
}

void tst_AdminWire::integerEdges()
{
    QFETCH(QByteArray, number);
    QFETCH(bool, valid);
    QCOMPARE(decodeReply(kickWithUser(number)).has_value(), valid);
}

void tst_AdminWire::truncatedAtEveryByte()
{
    const QByteArray whole = encodeReply(connectionsReply(2, 2));
    QVERIFY(decodeReply(whole));
    for (qsizetype n = 0; n < whole.size(); ++n)
        QVERIFY2(!decodeReply(whole.left(n)), qPrintable(QString::number(n)));
    Request q;
    q.id = QStringLiteral("k-1");
    q.origin = QStringLiteral("node1");
    const QByteArray request = encodeRequest(q);
    for (qsizetype n = 0; n < request.size(); ++n)
        QVERIFY(!decodeRequest(request.left(n)));
}

void tst_AdminWire::invalidInput_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::newRow("empty") << QByteArray();
    QTest::newRow("array") << QByteArray("[]");
    QTest::newRow("scalar") << QByteArray("3");
    QTest::newRow("invalid utf-8") << QByteArray(R"({"id":"a)") + '\xff' + QByteArray(R"(","from":"n","ask":"kick","found":true,"user_id":1})");
    QTest::newRow("overlong utf-8") << QByteArray(R"({"id":"a)") + "\xc0\xaf" + QByteArray(R"(","from":"n","ask":"kick","found":true,"user_id":1})");
    QTest::newRow("lone surrogate") << QByteArray(R"({"id":"a\ud800","from":"n","ask":"kick","found":true,"user_id":1})");
    QTest::newRow("raw control") << QByteArray("{\"id\":\"a\x01\",\"from\":\"n\",\"ask\":\"kick\",\"found\":true,\"user_id\":1}");
    QTest::newRow("duplicate key") << QByteArray(R"({"id":"a","from":"n","ask":"kick","found":true,"user_id":1,"user_id":2})");
    QTest::newRow("unknown field") << QByteArray(R"({"id":"a","from":"n","ask":"kick","found":true,"user_id":1,"x":0})");
    QTest::newRow("missing field") << QByteArray(R"({"id":"a","from":"n","ask":"kick","found":true})");
    QTest::newRow("unknown ask") << QByteArray(R"({"id":"a","from":"n","ask":"shutdown"})");
    QTest::newRow("empty id") << QByteArray(R"({"id":"","from":"n","ask":"kick","found":true,"user_id":1})");
    QTest::newRow("empty from") << QByteArray(R"({"id":"a","from":"","ask":"kick","found":true,"user_id":1})");
    QTest::newRow("total below rows") << encodeReply(connectionsReply(2, 2)).replace(R"("total":2)", R"("total":1)");
    QTest::newRow("row not an object") << QByteArray(R"({"id":"a","from":"n","ask":"connections","total":1,"rows":[1]})");
    QTest::newRow("error rate above 1") << QByteArray(R"({"id":"a","from":"n","ask":"series","points":[{"t":1,"in":0,"out":0,"p50":null,"p95":null,"p99":null,"c":0,"rps":1,"err":1.5,"e5":0,"wb":0}]})");
    QTest::newRow("5xx above errors") << QByteArray(R"({"id":"a","from":"n","ask":"series","points":[{"t":1,"in":0,"out":0,"p50":null,"p95":null,"p99":null,"c":0,"rps":1,"err":0.1,"e5":0.2,"wb":0}]})");
    QTest::newRow("negative rate") << QByteArray(R"({"id":"a","from":"n","ask":"series","points":[{"t":1,"in":-1,"out":0,"p50":null,"p95":null,"p99":null,"c":0,"rps":1,"err":0,"e5":0,"wb":0}]})");
    QTest::newRow("deep nesting") << QByteArray(100, '[') + QByteArray(100, ']');
}

void tst_AdminWire::invalidInput()
{
    QFETCH(QByteArray, payload);
    QString why;
    QVERIFY(!decodeReply(payload, &why));
    QVERIFY(!why.isEmpty());
    QVERIFY(!decodeRequest(payload));
}

void tst_AdminWire::rowCountEdges()
{
    // At the bound, and one past it.
    QVERIFY(decodeReply(encodeReply(connectionsReply(int(kMaxRows), kMaxRows))));
    QVERIFY(!decodeReply(encodeReply(connectionsReply(int(kMaxRows) + 1, kMaxRows + 1))));
    QVERIFY(decodeReply(encodeReply(connectionsReply(0, 0))));
    // Paging bounds of a request.
    Request q;
    q.id = QStringLiteral("k");
    q.origin = QStringLiteral("o");
    q.connections.offset = kMaxOffset + 1;
    QVERIFY(!decodeRequest(encodeRequest(q)));
    q.connections.offset = 0;
    q.connections.limit = kMaxRows + 1;
    QVERIFY(!decodeRequest(encodeRequest(q)));
    // A payload over the size bound is refused before it is parsed.
    QVERIFY(!decodeReply(QByteArray(kMaxPayload + 1, ' ')));
}

void tst_AdminWire::textLengthEdges()
{
    Reply r = connectionsReply(1, 1);
    r.rows[0].username = QString(kMaxText, u'a');
    QVERIFY(decodeReply(encodeReply(r)));
    r.rows[0].username = QString(kMaxText + 1, u'a');
    QVERIFY(!decodeReply(encodeReply(r)));
    r.rows[0].username.clear();
    QVERIFY(decodeReply(encodeReply(r))); // a connection before authentication
    r.id = QString(65, u'x');
    QVERIFY(!decodeReply(encodeReply(r)));
}

void tst_AdminWire::kickNeedsTarget()
{
    Request q;
    q.id = QStringLiteral("k");
    q.origin = QStringLiteral("o");
    q.ask = Ask::Kick;
    q.connectionId = 5;
    QVERIFY(!decodeRequest(encodeRequest(q)));
    q.target = QStringLiteral("node2");
    QVERIFY(decodeRequest(encodeRequest(q)));
    q.connectionId = 0;
    QVERIFY(!decodeRequest(encodeRequest(q)));
}

void tst_AdminWire::filters()
{
    ConnectionQuery q;
    q.usernamePrefix = QStringLiteral("i"); // folded: İ, I, ı and i all match
    QVERIFY(q.matches(conn("a", 1, "ismail", 0)));
    QVERIFY(q.matches(conn("a", 1, "Ismail", 0)));
    QVERIFY(q.matches(conn("a", 1, "İsmail", 0)));
    QVERIFY(q.matches(conn("a", 1, "ısmail", 0)));
    QVERIFY(!q.matches(conn("a", 1, "ayse", 0)));
    q = {};
    q.instance = QStringLiteral("b");
    QVERIFY(!q.matches(conn("a", 1, "x", 0)));
    QVERIFY(q.matches(conn("b", 1, "x", 0)));
    q = {};
    q.addressPrefix = QStringLiteral("10.0.");
    QVERIFY(q.matches(conn("a", 1, "x", 0)));
    q.addressPrefix = QStringLiteral("10.1.");
    QVERIFY(!q.matches(conn("a", 1, "x", 0)));
    q = {};
    q.userId = 2;
    QVERIFY(!q.matches(conn("a", 1, "x", 0)));
    QVERIFY(q.matches(conn("a", 2, "x", 0)));
}

void tst_AdminWire::mergeIsExactAcrossInstances()
{
    // Three instances; the page of rows 3-5 by opened_at, descending.
    QList<ConnectionRow> a, b, c;
    for (int i = 0; i < 10; ++i) {
        a << conn("a", i + 1, "u", 3 * i);
        b << conn("b", i + 1, "u", 3 * i + 1);
        c << conn("c", i + 1, "u", 3 * i + 2);
    }
    ConnectionQuery q;
    q.sort = SortKey::OpenedAt;
    q.descending = true;
    q.offset = 3;
    q.limit = 3;
    ConnectionQuery each = q;
    each.offset = 0;
    each.limit = 6;
    qint64 ta = 0, tb = 0, tc = 0;
    const QList<QList<ConnectionRow>> parts{firstRows(a, each, ta), firstRows(b, each, tb),
                                            firstRows(c, each, tc)};
    QCOMPARE(parts[0].size(), 6);
    QCOMPARE(ta + tb + tc, 30);
    const QList<ConnectionRow> page = mergePage(parts, q);
    QCOMPARE(page.size(), 3);
    // Newest first: 29 (c), 28 (b), 27 (a) skipped; then 26 (c), 25 (b), 24 (a).
    QCOMPARE(page[0].openedAtMs, 26);
    QCOMPARE(page[0].instance, QStringLiteral("c"));
    QCOMPARE(page[1].openedAtMs, 25);
    QCOMPARE(page[1].instance, QStringLiteral("b"));
    QCOMPARE(page[2].openedAtMs, 24);
    QCOMPARE(page[2].instance, QStringLiteral("a"));
    // Past the end: empty.
    q.offset = 30;
    QVERIFY(mergePage(parts, q).isEmpty());
}

void tst_AdminWire::sortTiesAreTotal()
{
    ConnectionQuery q;
    q.sort = SortKey::Username;
    const ConnectionRow x = conn("a", 2, "same", 0), y = conn("b", 1, "same", 0), z = conn("a", 3, "same", 0);
    QVERIFY(q.before(x, y)); // instance a before b
    QVERIFY(q.before(x, z)); // then id
    QVERIFY(!q.before(x, x));
    q.sort = SortKey::Id;
    QVERIFY(q.before(y, x)); // id first
    q.descending = true;
    QVERIFY(q.before(x, y));
    // By instance: then id.
    q = {};
    q.sort = SortKey::Instance;
    QVERIFY(q.before(z, y));
    QVERIFY(q.before(x, z));
}

QTEST_APPLESS_MAIN(tst_AdminWire)
#include "tst_admin_wire.moc"
