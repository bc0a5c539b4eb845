// The admin stream's client input (common/protocol/admin_client_frames):
// auth and ping only; lengths at the edges (0, the 4 KiB limit, one more),
// every truncation of a valid frame, bad UTF-8, wrong types; and the
// upgrade's ?stream=&after= with `after` at 0, 2^63 - 1, 2^63 and 2^64 - 1.

#include "protocol/admin_client_frames.h"

#include <QtTest>

using namespace sanayicin;
using namespace Qt::StringLiterals;

namespace {

bool refused(const AdminClientFrame &f)
{
    return std::holds_alternative<FrameError>(f);
}

// {"type":"auth","token":"aaa..."} of exactly `size` bytes.
QByteArray authOfSize(qsizetype size)
{
    const QByteArray head = R"({"type":"auth","token":")";
    return head + QByteArray(size - head.size() - 2, 'a') + R"("})";
}

} // namespace

class tst_AdminClientFrames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void authAndPing()
    {
        const auto auth = parseAdminClientFrame(R"({"type":"auth","token":"t0k"})");
        QCOMPARE(std::get<AuthFrame>(auth).token, u"t0k"_s);
        const auto ping = parseAdminClientFrame(R"({"type":"ping","ts":[1,{"a":"b"}]})");
        QCOMPARE(std::get<PingFrame>(ping).tsJson, QByteArray(R"([1,{"a":"b"}])"));
        QVERIFY(!std::get<PingFrame>(parseAdminClientFrame(R"({"type":"ping"})")).hasTs);
        // Fields a frame does not know are ignored, as on /ws.
        QVERIFY(!refused(parseAdminClientFrame(R"({"type":"ping","x":1})")));
    }

    void everythingElseIsABadRequest_data()
    {
        QTest::addColumn<QByteArray>("text");
        QTest::newRow("empty") << QByteArray();
        QTest::newRow("chat send") << QByteArray(R"({"type":"send","conversation_id":1,"client_msg_id":"a","body":"b"})");
        QTest::newRow("chat sync") << QByteArray(R"({"type":"sync"})");
        QTest::newRow("unknown") << QByteArray(R"({"type":"tick"})");
        QTest::newRow("type number") << QByteArray(R"({"type":1})");
        QTest::newRow("no type") << QByteArray(R"({"token":"x"})");
        QTest::newRow("token number") << QByteArray(R"({"type":"auth","token":5})");
        QTest::newRow("token null") << QByteArray(R"({"type":"auth","token":null})");
        QTest::newRow("no token") << QByteArray(R"({"type":"auth"})");
        QTest::newRow("array") << QByteArray("[]");
        QTest::newRow("scalar") << QByteArray(R"("ping")");
        QTest::newRow("duplicate key") << QByteArray(R"({"type":"ping","type":"auth"})");
        QTest::newRow("raw control") << QByteArray("{\"type\":\"auth\",\"token\":\"a\tb\"}");
        QTest::newRow("lone surrogate") << QByteArray(R"({"type":"auth","token":"\ud800"})");
        QTest::newRow("bad utf-8") << QByteArray("{\"type\":\"auth\",\"token\":\"\xff\xfe\"}");
        QTest::newRow("overlong utf-8") << QByteArray("{\"type\":\"auth\",\"token\":\"\xc0\xaf\"}");
        QTest::newRow("trailing") << QByteArray(R"({"type":"ping"} x)");
    }

    void everythingElseIsABadRequest()
    {
        QFETCH(QByteArray, text);
        const auto f = parseAdminClientFrame(text);
        QVERIFY(refused(f));
        QVERIFY(!std::get<FrameError>(f).message.isEmpty());
    }

    void sizesAtTheLimit()
    {
        QCOMPARE(authOfSize(kAdminFrameMaxBytes).size(), kAdminFrameMaxBytes);
        QVERIFY(std::holds_alternative<AuthFrame>(parseAdminClientFrame(authOfSize(kAdminFrameMaxBytes))));
        const auto over = parseAdminClientFrame(authOfSize(kAdminFrameMaxBytes + 1));
        QVERIFY(refused(over));
        QVERIFY(std::get<FrameError>(over).message.contains(u"4096"_s));
        QVERIFY(refused(parseAdminClientFrame(QByteArray(1 << 20, ' '))));
    }

    void everyTruncationIsRefused()
    {
        for (const QByteArray &whole : {QByteArray(R"({"type":"auth","token":"abc"})"),
                                       QByteArray(R"({"type":"ping","ts":{"k":[1,2]}})")}) {
            QVERIFY(!refused(parseAdminClientFrame(whole)));
            for (qsizetype n = 0; n < whole.size(); ++n)
                QVERIFY2(refused(parseAdminClientFrame(whole.left(n))), whole.left(n).constData());
        }
    }

    void streamQuery_data()
    {
        QTest::addColumn<QByteArray>("query");
        QTest::addColumn<bool>("ok");
        QTest::addColumn<QString>("stream");
        QTest::addColumn<qint64>("after"); // -1: none
        QTest::newRow("none") << QByteArray() << true << QString() << qint64(-1);
        QTest::newRow("resume") << QByteArray("stream=node1%3A17&after=42") << true << u"node1:17"_s << qint64(42);
        QTest::newRow("zero") << QByteArray("after=0") << true << QString() << qint64(0);
        QTest::newRow("2^63-1") << QByteArray("after=9223372036854775807") << true << QString()
                                << std::numeric_limits<qint64>::max();
        QTest::newRow("2^63") << QByteArray("after=9223372036854775808") << false << QString() << qint64(-1);
        QTest::newRow("2^64-1") << QByteArray("after=18446744073709551615") << false << QString() << qint64(-1);
        QTest::newRow("negative") << QByteArray("after=-1") << false << QString() << qint64(-1);
        QTest::newRow("empty after") << QByteArray("after=") << false << QString() << qint64(-1);
        QTest::newRow("plus sign") << QByteArray("after=%2B5") << false << QString() << qint64(-1);
        QTest::newRow("fraction") << QByteArray("after=1.5") << false << QString() << qint64(-1);
        QTest::newRow("plus is space") << QByteArray("stream=a+b") << true << u"a b"_s << qint64(-1);
        QTest::newRow("128") << "stream=" + QByteArray(128, 'x') << true << QString(128, u'x') << qint64(-1);
        QTest::newRow("129") << "stream=" + QByteArray(129, 'x') << false << QString() << qint64(-1);
        QTest::newRow("others ignored") << QByteArray("x=1&after=3") << true << QString() << qint64(3);
    }

    void streamQuery()
    {
        QFETCH(QByteArray, query);
        QFETCH(bool, ok);
        QFETCH(QString, stream);
        QFETCH(qint64, after);
        QString error;
        const auto r = parseAdminStreamQuery(query, error);
        QCOMPARE(bool(r), ok);
        if (!ok) {
            QVERIFY(!error.isEmpty());
            return;
        }
        QCOMPARE(r->stream, stream);
        QCOMPARE(r->after.value_or(-1), after);
    }
};

QTEST_APPLESS_MAIN(tst_AdminClientFrames)
#include "tst_admin_client_frames.moc"
