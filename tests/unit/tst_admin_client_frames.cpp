// The admin stream's client input (common/protocol/admin_client_frames):
// auth and ping only; lengths at the edges (0, the 4 KiB limit, one more),
// every truncation of a valid frame, bad UTF-8, wrong types; and the
// upgrade's ?stream=&after= with `after` at 0, 2^63 - 1, 2^63 and 2^64 - 1.

#include "http/admin_stream_query.h"
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
        QTest::newRow("first counts") << QByteArray("after=3&after=x&stream=a&stream=b") << true
                                      << u"a"_s << qint64(3);
        QTest::newRow("encoded plus in stream") << QByteArray("stream=a%2Bb") << true << u"a+b"_s
                                                << qint64(-1);
        QTest::newRow("128 characters of 2 bytes") << "stream=" + QByteArray("%C3%A7").repeated(128)
                                                   << true << QString(128, u'\u00e7') << qint64(-1);
        QTest::newRow("empty stream") << QByteArray("stream=") << true << QString() << qint64(-1);
        // Decoded as on every endpoint (docs/protocol.md "Query strings"):
        // these were taken leniently before, as an unknown stream.
        QTest::newRow("broken escape") << QByteArray("stream=%zz") << false << QString() << qint64(-1);
        QTest::newRow("cut escape") << QByteArray("stream=ab%4") << false << QString() << qint64(-1);
        QTest::newRow("not UTF-8") << QByteArray("stream=%FF%FE") << false << QString() << qint64(-1);
        QTest::newRow("overlong UTF-8") << QByteArray("stream=%C0%AF") << false << QString() << qint64(-1);
        QTest::newRow("lone surrogate") << QByteArray("stream=%ED%A0%80") << false << QString() << qint64(-1);
        QTest::newRow("NUL") << QByteArray("stream=a%00b") << false << QString() << qint64(-1);
        QTest::newRow("broken escape elsewhere") << QByteArray("x=%&after=1") << false << QString()
                                                 << qint64(-1);
        QTest::newRow("after with space") << QByteArray("after=+1") << false << QString() << qint64(-1);
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

    // The values' checks by themselves, as the HTTP layer hands them over.
    void resumeValues()
    {
        QString error;
        QCOMPARE(checkAdminStreamResume(std::nullopt, std::nullopt, error), AdminStreamResume{});
        QCOMPARE(checkAdminStreamResume(u"s"_s, u"0"_s, error),
                 (AdminStreamResume{u"s"_s, qint64(0)}));
        QVERIFY(checkAdminStreamResume(QString(kAdminStreamIdMax, u'x'), std::nullopt, error));
        QVERIFY(!checkAdminStreamResume(QString(kAdminStreamIdMax + 1, u'x'), std::nullopt, error));
        QVERIFY(error.contains(u"128"_s));
        for (const QString &bad : {u""_s, u"-0"_s, u" 1"_s, u"1 "_s, u"0x10"_s, u"\u0661"_s,
                                   u"9223372036854775808"_s, u"18446744073709551615"_s,
                                   u"000009223372036854775808"_s}) {
            error.clear();
            QVERIFY2(!checkAdminStreamResume(std::nullopt, bad, error), qPrintable(bad));
            QVERIFY(!error.isEmpty());
        }
        QCOMPARE(checkAdminStreamResume(std::nullopt, u"9223372036854775807"_s, error)->after,
                 std::numeric_limits<qint64>::max());
        QCOMPARE(checkAdminStreamResume(std::nullopt, u"00000000000000000000001"_s, error)->after,
                 qint64(1));
        QCOMPARE(checkAdminStreamResume(std::nullopt, u"000"_s, error)->after, qint64(0));
    }
};

QTEST_APPLESS_MAIN(tst_AdminClientFrames)
#include "tst_admin_client_frames.moc"
