// WsFrameParser: RFC 6455 framing as the native transport reads it. Lengths
// at every edge and in every form, every truncation, every chunking, UTF-8
// split and broken, and each close-frame rule. The audit's attacks (a 64-bit
// length whose top bit is set, sizes that wrapped) are here as rows.

#include "../support/ws_frame_builder.h"
#include "ws/ws_frame_parser.h"

#include <QtTest>

using namespace sanayicin;
using namespace sanayicin::test;

namespace {

constexpr quint64 kLimit = 70000; // above 65536, so every 16-bit length fits

// Records what the parser reports as one line per event.
class Recorder : public WsFrameParser::Sink
{
public:
    QStringList events;
    bool stopAfterMessage = false;

    bool onMessage(bool text, QByteArray payload) override
    {
        events << QStringLiteral("%1:%2").arg(text ? u"text" : u"binary",
                                                QString::fromLatin1(payload.toHex()));
        return !stopAfterMessage;
    }
    bool onPing(QByteArray payload) override
    {
        events << QStringLiteral("ping:") + QString::fromLatin1(payload.toHex());
        return true;
    }
    bool onPong(QByteArray payload) override
    {
        events << QStringLiteral("pong:") + QString::fromLatin1(payload.toHex());
        return true;
    }
    bool onClose(int code, QByteArray reason) override
    {
        events << QStringLiteral("close:%1:%2").arg(code).arg(QString::fromUtf8(reason));
        return true;
    }
    void onError(int code, const char *) override { events << QStringLiteral("error:%1").arg(code); }
};

struct Run
{
    QStringList events;
    WsFrameParser::State state;
    qsizetype consumed = 0;
};

// Feeds `bytes` cut at `cuts` (ascending offsets).
Run feedChunked(const QByteArray &bytes, const QList<qsizetype> &cuts, quint64 limit = kLimit)
{
    WsFrameParser parser(limit);
    Recorder rec;
    Run run;
    qsizetype from = 0;
    QList<qsizetype> ends = cuts;
    ends << bytes.size();
    for (qsizetype to : ends) {
        const qsizetype n = parser.feed(bytes.constData() + from, to - from, rec);
        run.consumed += n;
        // All of a chunk is consumed while the parser is open.
        if (parser.state() == WsFrameParser::State::Open && n != to - from)
            run.events << QStringLiteral("short feed");
        if (parser.bufferedBytes() > qsizetype(limit) + 14 + 125)
            run.events << QStringLiteral("over-buffered");
        from = to;
    }
    run.events = rec.events + run.events;
    run.state = parser.state();
    return run;
}

Run feedAll(const QByteArray &bytes, quint64 limit = kLimit)
{
    return feedChunked(bytes, {}, limit);
}

QByteArray text(const QByteArray &utf8, bool fin = true) { return wsFrame(1, utf8, fin); }
QByteArray cont(const QByteArray &utf8, bool fin = true) { return wsFrame(0, utf8, fin); }
QString hex(const QByteArray &b) { return QString::fromLatin1(b.toHex()); }

// A stream with every kind of frame: fragmented text with a ping inside,
// binary, pong, close.
QByteArray mixedStream()
{
    return text("he", false) + wsFrame(9, "p1") + cont("ll", false) + cont("o")
        + wsFrame(2, QByteArray("\x00\x01", 2)) + wsFrame(10, "") + text("")
        + wsFrame(8, wsClosePayload(1000, "bye"));
}

QStringList mixedEvents()
{
    return {QStringLiteral("ping:") + hex("p1"), QStringLiteral("text:") + hex("hello"),
            QStringLiteral("binary:0001"), QStringLiteral("pong:"), QStringLiteral("text:"),
            QStringLiteral("close:1000:bye")};
}

} // namespace

class tst_WsFrameParser : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void edgeLengths_data();
    void edgeLengths();
    void wrappedContinuation_data();
    void wrappedContinuation();
    void limitRefusedBeforePayload();
    void messageLimitAcrossFragments();
    void everyTruncationOfAValidStream();
    void everyTruncationOfInvalidStreams_data();
    void everyTruncationOfInvalidStreams();
    void everyChunking();
    void headerRules_data();
    void headerRules();
    void fragmentation_data();
    void fragmentation();
    void utf8_data();
    void utf8();
    void utf8FailsAtTheOffendingFragment();
    void utf8SplitEverywhere();
    void closeFrames_data();
    void closeFrames();
    void everyCloseCode();
    void nothingAfterFailureOrClose();
    void sinkStops();
    void idleHoldsNothing();
};

void tst_WsFrameParser::edgeLengths_data()
{
    QTest::addColumn<int>("form");
    QTest::addColumn<quint64>("length");
    QTest::addColumn<QString>("expected"); // "ok", or the error code
    const quint64 edges[] = {0,
                             125,
                             126,
                             65535,
                             65536,
                             kLimit,
                             kLimit + 1,
                             (quint64(1) << 63) - 1,
                             quint64(1) << 63,
                             ~quint64(0)};
    for (int form : {7, 16, 64}) {
        for (quint64 len : edges) {
            if (form == 7 && len > 125)
                continue;
            if (form == 16 && len > 0xffff)
                continue;
            QString expected = QStringLiteral("ok");
            if (form == 64 && (len >> 63))
                expected = QStringLiteral("1002");
            else if ((form == 16 && len < 126) || (form == 64 && len < 65536))
                expected = QStringLiteral("1002"); // not the shortest form
            else if (len > kLimit)
                expected = QStringLiteral("1009");
            QTest::addRow("%d-bit %llu", form, len) << form << len << expected;
        }
    }
}

void tst_WsFrameParser::edgeLengths()
{
    QFETCH(int, form);
    QFETCH(quint64, length);
    QFETCH(QString, expected);
    for (int opcode : {1, 2}) {
        WsFrameSpec s;
        s.opcode = opcode;
        s.lengthForm = form;
        s.announced = -2;
        s.announcedU64 = length;
        const QByteArray header = wsFrameHeader(s, length);
        WsFrameParser parser(kLimit);
        Recorder rec;
        const qsizetype used = parser.feed(header.constData(), header.size(), rec);
        if (expected != u"ok") {
            // Refused as soon as the length is in (the mask is left unread).
            QCOMPARE(used, header.size() - (form == 7 ? 6 : 4));
            // Refused from the header alone, before any payload.
            QCOMPARE(rec.events, QStringList{QStringLiteral("error:") + expected});
            QCOMPARE(parser.state(), WsFrameParser::State::Failed);
            QCOMPARE(parser.bufferedBytes(), 0);
            continue;
        }
        QCOMPARE(used, header.size());
        QByteArray payload(qsizetype(length), 'a');
        const QByteArray frame = wsFrame(s, payload);
        const Run run = feedAll(frame);
        QCOMPARE(run.state, WsFrameParser::State::Open);
        QCOMPARE(run.events.size(), 1);
        QCOMPARE(run.events.first(),
                 QStringLiteral("%1:%2").arg(opcode == 1 ? u"text" : u"binary", hex(payload)));
        // And in two pieces cut inside the payload.
        if (length > 2) {
            const Run split = feedChunked(frame, {frame.size() - qsizetype(length) / 2});
            QCOMPARE(split.events, run.events);
        }
    }
}

void tst_WsFrameParser::wrappedContinuation_data()
{
    // The audit: a first fragment of S bytes, then a continuation announcing
    // 2^64 - k (k <= S) so that S + length wrapped past the limit check.
    QTest::addColumn<int>("first");
    QTest::addColumn<quint64>("length");
    QTest::addColumn<int>("expected");
    for (int k : {1, 5, 13, 14, 15, 20, 100}) {
        QTest::addRow("2^64-%d", k) << 100 << quint64(0) - quint64(k) << 1002;
        QTest::addRow("2^63-%d", k) << 100 << (quint64(1) << 63) - quint64(k) << 1009;
    }
    QTest::addRow("exactly the rest") << 100 << kLimit - 100 << 0;
    QTest::addRow("one over the rest") << 100 << kLimit - 99 << 1009;
}

void tst_WsFrameParser::wrappedContinuation()
{
    QFETCH(int, first);
    QFETCH(quint64, length);
    QFETCH(int, expected);
    WsFrameSpec s;
    s.opcode = 0;
    s.lengthForm = 64;
    QByteArray stream = text(QByteArray(first, 'x'), false) + wsFrameHeader(s, length);
    if (expected == 0)
        stream = text(QByteArray(first, 'x'), false) + wsFrame(s, QByteArray(qsizetype(length), 'y'));
    // Whole, and cut right after the length (the audit's third variant).
    for (const QList<qsizetype> &cuts : {QList<qsizetype>{}, QList<qsizetype>{first + 6 + 10}}) {
        const Run run = feedChunked(stream, cuts);
        if (expected == 0) {
            QCOMPARE(run.events.size(), 1);
            QCOMPARE(run.state, WsFrameParser::State::Open);
        } else {
            QCOMPARE(run.events, QStringList{QStringLiteral("error:%1").arg(expected)});
            QCOMPARE(run.state, WsFrameParser::State::Failed);
        }
    }
    // Nothing is buffered for a refused continuation, whatever follows.
    if (expected != 0) {
        WsFrameParser parser(kLimit);
        Recorder rec;
        QCOMPARE(parser.feed(stream.constData(), stream.size(), rec), stream.size() - 4); // no mask read
        const QByteArray more(1 << 20, 'z');
        QCOMPARE(parser.feed(more.constData(), more.size(), rec), 0);
        QCOMPARE(parser.bufferedBytes(), 0);
    }
}

void tst_WsFrameParser::limitRefusedBeforePayload()
{
    // limit + 1 announced: refused at the header, before a byte is stored.
    const QByteArray frame = wsFrame(1, QByteArray(qsizetype(kLimit) + 1, 'a'));
    WsFrameParser parser(kLimit);
    Recorder rec;
    QCOMPARE(parser.feed(frame.constData(), 14, rec), 10); // refused at the length
    QCOMPARE(rec.events, QStringList{QStringLiteral("error:1009")});
    QCOMPARE(parser.bufferedBytes(), 0);
    QCOMPARE(parser.errorCode(), 1009);
}

void tst_WsFrameParser::messageLimitAcrossFragments()
{
    const qsizetype half = qsizetype(kLimit / 2);
    // Exactly the limit in two fragments: delivered.
    Run run = feedAll(text(QByteArray(half, 'a'), false) + cont(QByteArray(qsizetype(kLimit) - half, 'b')));
    QCOMPARE(run.events.size(), 1);
    // One byte more: refused at the second fragment's header.
    run = feedAll(text(QByteArray(half, 'a'), false) + cont(QByteArray(qsizetype(kLimit) - half + 1, 'b')));
    QCOMPARE(run.events, QStringList{QStringLiteral("error:1009")});
    // Empty fragments forever cost nothing and stay allowed.
    QByteArray many = text("", false);
    for (int i = 0; i < 1000; ++i)
        many += cont("", false);
    many += cont("z");
    run = feedAll(many);
    QCOMPARE(run.events, QStringList{QStringLiteral("text:") + hex("z")});
}

void tst_WsFrameParser::everyTruncationOfAValidStream()
{
    const QByteArray stream = mixedStream();
    const QStringList all = mixedEvents();
    QCOMPARE(feedAll(stream).events, all);
    for (qsizetype cut = 0; cut < stream.size(); ++cut) {
        const Run run = feedAll(stream.left(cut));
        QVERIFY2(run.state == WsFrameParser::State::Open, qPrintable(QString::number(cut)));
        QCOMPARE(run.consumed, cut);
        // What came out is a prefix of the whole stream's events.
        QVERIFY(run.events.size() < all.size());
        QCOMPARE(run.events, all.mid(0, run.events.size()));
    }
}

void tst_WsFrameParser::everyTruncationOfInvalidStreams_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("failAt"); // bytes needed before the failure shows
    QTest::addColumn<int>("code");
    QTest::addColumn<int>("before"); // events before the failure
    const QByteArray ok = text("ok");
    WsFrameSpec top;
    top.opcode = 1;
    top.announced = -2;
    top.announcedU64 = quint64(1) << 63;
    top.lengthForm = 64;
    QTest::newRow("top bit") << ok + wsFrameHeader(top, top.announcedU64) << int(ok.size()) + 10 << 1002 << 1;
    WsFrameSpec unmasked;
    unmasked.masked = false;
    QTest::newRow("unmasked") << ok + wsFrame(unmasked, "abc") << int(ok.size()) + 2 << 1002 << 1;
    QTest::newRow("bad utf-8") << ok + text("ab\xff" "cd") << int(ok.size()) + 6 + 3 << 1007 << 1;
    QTest::newRow("utf-8 cut at the end") << ok + text("ab\xe2\x82") << int(ok.size()) + 6 + 4 << 1007 << 1;
    QTest::newRow("close 1 byte") << ok + wsFrame(8, "x") << int(ok.size()) + 7 << 1002 << 1;
    QTest::newRow("close code 1005") << ok + wsFrame(8, wsClosePayload(1005)) << int(ok.size()) + 8 << 1002 << 1;
    QTest::newRow("too big") << ok + wsFrame(2, QByteArray(qsizetype(kLimit) + 1, 'a')) << int(ok.size()) + 10 << 1009 << 1;
}

void tst_WsFrameParser::everyTruncationOfInvalidStreams()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, failAt);
    QFETCH(int, code);
    QFETCH(int, before);
    for (qsizetype cut = 0; cut <= stream.size(); cut = cut < 64 ? cut + 1 : cut * 2) {
        const qsizetype n = std::min(cut, stream.size());
        const Run run = feedAll(stream.left(n));
        if (n < failAt) {
            QVERIFY2(run.state == WsFrameParser::State::Open, qPrintable(QString::number(n)));
            QVERIFY(run.events.size() <= before);
        } else {
            QCOMPARE(run.state, WsFrameParser::State::Failed);
            QCOMPARE(run.events.size(), before + 1);
            QCOMPARE(run.events.last(), QStringLiteral("error:%1").arg(code));
        }
    }
}

void tst_WsFrameParser::everyChunking()
{
    // Every way to cut a short stream (2^(n-1) of them), then every cut in
    // two and three pieces of the long one.
    const QByteArray small = text("a", false) + wsFrame(9, "") + cont("b");
    QCOMPARE(small.size(), 20); // 2^19 ways to cut it
    const QStringList smallEvents = feedAll(small).events;
    QCOMPARE(smallEvents.size(), 2);
    const int n = int(small.size());
    for (quint32 bits = 0; bits < (1u << (n - 1)); ++bits) {
        QList<qsizetype> cuts;
        for (int i = 0; i < n - 1; ++i)
            if (bits & (1u << i))
                cuts << i + 1;
        QCOMPARE(feedChunked(small, cuts).events, smallEvents);
    }
    const QByteArray stream = mixedStream();
    const QStringList all = mixedEvents();
    for (qsizetype a = 0; a <= stream.size(); ++a) {
        QCOMPARE(feedChunked(stream, {a}).events, all);
        for (qsizetype b = a; b <= stream.size(); b += 3)
            QCOMPARE(feedChunked(stream, {a, b}).events, all);
    }
    QList<qsizetype> bytewise;
    for (qsizetype i = 1; i < stream.size(); ++i)
        bytewise << i;
    QCOMPARE(feedChunked(stream, bytewise).events, all);
}

void tst_WsFrameParser::headerRules_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("events");
    const QStringList e1002{QStringLiteral("error:1002")};
    for (int rsv = 1; rsv < 8; ++rsv) {
        WsFrameSpec s;
        s.rsv = rsv;
        QTest::addRow("rsv %d", rsv) << wsFrame(s, "x") << e1002;
    }
    for (int op : {3, 4, 5, 6, 7, 11, 12, 13, 14, 15})
        QTest::addRow("opcode %d", op) << wsFrame(op, "") << e1002;
    WsFrameSpec unmasked;
    unmasked.masked = false;
    QTest::newRow("unmasked text") << wsFrame(unmasked, "x") << e1002;
    unmasked.opcode = 9;
    QTest::newRow("unmasked ping") << wsFrame(unmasked, "") << e1002;
    for (int op : {8, 9, 10}) {
        QTest::addRow("control %d fragmented", op) << wsFrame(op, "", false) << e1002;
        QTest::addRow("control %d 126 bytes", op) << wsFrame(op, QByteArray(126, 'x')) << e1002;
        WsFrameSpec s;
        s.opcode = op;
        s.lengthForm = 16;
        QTest::addRow("control %d 16-bit form", op) << wsFrame(s, "") << e1002;
    }
    QTest::newRow("ping 125") << wsFrame(9, QByteArray(125, 'p'))
                              << QStringList{QStringLiteral("ping:") + hex(QByteArray(125, 'p'))};
    // RFC 6455 5.2: the length in its shortest form, or a protocol error.
    WsFrameSpec longer;
    longer.lengthForm = 64;
    QTest::newRow("0 in 64 bits") << wsFrame(longer, "") << e1002;
    QTest::newRow("65535 in 64 bits") << wsFrame(longer, QByteArray(65535, 'a')) << e1002;
    longer.lengthForm = 16;
    QTest::newRow("1 in 16 bits") << wsFrame(longer, "a") << e1002;
    QTest::newRow("125 in 16 bits") << wsFrame(longer, QByteArray(125, 'a')) << e1002;
    QTest::newRow("126 in 16 bits") << wsFrame(longer, QByteArray(126, 'a'))
                                    << QStringList{QStringLiteral("text:") + hex(QByteArray(126, 'a'))};
}

void tst_WsFrameParser::headerRules()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, events);
    QCOMPARE(feedAll(stream).events, events);
}

void tst_WsFrameParser::fragmentation_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("events");
    const QString e1002 = QStringLiteral("error:1002");
    QTest::newRow("continuation alone") << cont("x") << QStringList{e1002};
    QTest::newRow("continuation unfinished alone") << cont("x", false) << QStringList{e1002};
    QTest::newRow("text inside text") << text("a", false) + text("b") << QStringList{e1002};
    QTest::newRow("binary inside text") << text("a", false) + wsFrame(2, "b") << QStringList{e1002};
    QTest::newRow("continuation after a whole message")
        << text("a") + cont("b") << QStringList{QStringLiteral("text:61"), e1002};
    QTest::newRow("control between fragments")
        << text("a", false) + wsFrame(10, "x") + wsFrame(9, "y") + cont("b")
        << QStringList{QStringLiteral("pong:78"), QStringLiteral("ping:79"), QStringLiteral("text:6162")};
    QTest::newRow("binary fragments")
        << wsFrame(2, "a", false) + cont("b", false) + cont("c")
        << QStringList{QStringLiteral("binary:616263")};
    QTest::newRow("close between fragments")
        << text("a", false) + wsFrame(8, wsClosePayload(1000)) + cont("b")
        << QStringList{QStringLiteral("close:1000:")};
}

void tst_WsFrameParser::fragmentation()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, events);
    QCOMPARE(feedAll(stream).events, events);
}

void tst_WsFrameParser::utf8_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<QStringList>("events");
    const QByteArray kosme = "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5";
    QTest::newRow("valid") << text(kosme) << QStringList{QStringLiteral("text:") + hex(kosme)};
    // A character split between fragments is fine (Autobahn 6.2.3, 6.2.4).
    for (int cut = 1; cut < kosme.size(); ++cut)
        QTest::addRow("split at %d", cut) << text(kosme.left(cut), false) + cont(kosme.mid(cut))
                                          << QStringList{QStringLiteral("text:") + hex(kosme)};
    QTest::newRow("emoji split in 4") << text("\xf0", false) + cont("\x9f", false) + cont("\x98", false)
                                             + cont("\x80")
                                      << QStringList{QStringLiteral("text:") + hex("\xf0\x9f\x98\x80")};
    QTest::newRow("surrogate") << text("\xed\xa0\x80") << QStringList{QStringLiteral("error:1007")};
    QTest::newRow("overlong") << text("\xc0\xaf") << QStringList{QStringLiteral("error:1007")};
    QTest::newRow("above U+10FFFF") << text("\xf4\x90\x80\x80") << QStringList{QStringLiteral("error:1007")};
    QTest::newRow("message ends mid-character")
        << text("a\xe2", false) + cont("\x82") << QStringList{QStringLiteral("error:1007")};
    // Binary is never checked.
    QTest::newRow("binary not checked") << wsFrame(2, "\xff\xfe") << QStringList{QStringLiteral("binary:fffe")};
    // Text after a broken... nothing: and a valid message after a valid one.
    QTest::newRow("validator resets per message")
        << text("a\xe2\x82\xac") + text("\xe2\x82\xac")
        << QStringList{QStringLiteral("text:61e282ac"), QStringLiteral("text:e282ac")};
}

void tst_WsFrameParser::utf8()
{
    QFETCH(QByteArray, stream);
    QFETCH(QStringList, events);
    QCOMPARE(feedAll(stream).events, events);
}

void tst_WsFrameParser::utf8FailsAtTheOffendingFragment()
{
    // Autobahn 6.4.1: the first fragment is already impossible UTF-8; the
    // failure comes with it, not when the message ends.
    const QByteArray first = text("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4\x90\x80\x80", false);
    WsFrameParser parser(kLimit);
    Recorder rec;
    parser.feed(first.constData(), first.size(), rec);
    QCOMPARE(rec.events, QStringList{QStringLiteral("error:1007")});
    // 6.4.3: inside one frame, at the offending byte, before the frame ends.
    const QByteArray frame = text("\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xf4\x90\x80\x80" "edited");
    WsFrameParser p2(kLimit);
    Recorder r2;
    const qsizetype upToBad = 6 + 12 + 1; // header, 11 valid bytes, f4, then 90
    QCOMPARE(p2.feed(frame.constData(), upToBad - 1, r2), upToBad - 1);
    QVERIFY(r2.events.isEmpty());
    p2.feed(frame.constData() + upToBad - 1, 1, r2);
    QCOMPARE(r2.events, QStringList{QStringLiteral("error:1007")});
}

void tst_WsFrameParser::utf8SplitEverywhere()
{
    // Every code point class, split at every byte into fragments and reads.
    const QByteArray s = QStringLiteral("aé€😀ışık\U0010FFFF").toUtf8();
    for (qsizetype cut = 0; cut <= s.size(); ++cut) {
        const QByteArray stream = text(s.left(cut), false) + cont(s.mid(cut));
        for (qsizetype read = 1; read <= stream.size(); ++read) {
            const Run run = feedChunked(stream, {read});
            QCOMPARE(run.events, QStringList{QStringLiteral("text:") + hex(s)});
        }
    }
}

void tst_WsFrameParser::closeFrames_data()
{
    QTest::addColumn<QByteArray>("payload");
    QTest::addColumn<QString>("event");
    QTest::newRow("empty") << QByteArray() << QStringLiteral("close:1005:");
    QTest::newRow("one byte") << QByteArray("\x03") << QStringLiteral("error:1002");
    QTest::newRow("code only") << wsClosePayload(1000) << QStringLiteral("close:1000:");
    QTest::newRow("code and reason") << wsClosePayload(1001, "gidiyorum") << QStringLiteral("close:1001:gidiyorum");
    QTest::newRow("123-byte reason") << wsClosePayload(1000, QByteArray(123, 'r'))
                                     << QStringLiteral("close:1000:") + QString(123, u'r');
    QTest::newRow("124-byte reason (frame of 126)") << wsClosePayload(1000, QByteArray(124, 'r'))
                                                    << QStringLiteral("error:1002");
    QTest::newRow("reason not UTF-8 (7.5.1)")
        << wsClosePayload(1000, "\xce\xba\xe1\xbd\xb9\xcf\x83\xce\xbc\xce\xb5\xed\xa0\x80\x65\x64\x69\x74\x65\x64")
        << QStringLiteral("error:1002");
    QTest::newRow("reason cut mid-character") << wsClosePayload(1000, "\xe2\x82") << QStringLiteral("error:1002");
    for (int code : {0, 999, 1004, 1005, 1006, 1015, 1016, 1100, 2000, 2999, 5000, 65535})
        QTest::addRow("invalid %d", code) << wsClosePayload(code) << QStringLiteral("error:1002");
    for (int code : {1000, 1001, 1002, 1003, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 3000, 3999,
                     4000, 4999})
        QTest::addRow("valid %d", code) << wsClosePayload(code) << QStringLiteral("close:%1:").arg(code);
}

void tst_WsFrameParser::closeFrames()
{
    QFETCH(QByteArray, payload);
    QFETCH(QString, event);
    // Whole and byte by byte.
    const QByteArray frame = wsFrame(8, payload);
    QCOMPARE(feedAll(frame).events, QStringList{event});
    QList<qsizetype> bytewise;
    for (qsizetype i = 1; i < frame.size(); ++i)
        bytewise << i;
    QCOMPARE(feedChunked(frame, bytewise).events, QStringList{event});
}

void tst_WsFrameParser::everyCloseCode()
{
    for (int code = 0; code <= 0xffff; ++code) {
        const bool valid = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
                           || (code >= 3000 && code <= 4999);
        QCOMPARE(WsFrameParser::isValidCloseCode(code), valid);
    }
    QVERIFY(!WsFrameParser::isValidCloseCode(-1));
    QVERIFY(!WsFrameParser::isValidCloseCode(70000));
}

void tst_WsFrameParser::nothingAfterFailureOrClose()
{
    for (const QByteArray &end : {wsFrame(8, wsClosePayload(1000)), wsFrame(8, "x"), wsFrame(7, "")}) {
        const QByteArray stream = text("a") + end + text("b") + wsFrame(9, "");
        WsFrameParser parser(kLimit);
        Recorder rec;
        const qsizetype used = parser.feed(stream.constData(), stream.size(), rec);
        // Up to the offending byte at most: nothing of what follows.
        QVERIFY(used > text("a").size() && used <= text("a").size() + end.size());
        QCOMPARE(rec.events.size(), 2);
        QCOMPARE(parser.feed(stream.constData(), stream.size(), rec), 0);
        QCOMPARE(rec.events.size(), 2);
        QVERIFY(parser.state() != WsFrameParser::State::Open);
    }
}

void tst_WsFrameParser::sinkStops()
{
    const QByteArray stream = text("a") + text("b");
    WsFrameParser parser(kLimit);
    Recorder rec;
    rec.stopAfterMessage = true;
    QCOMPARE(parser.feed(stream.constData(), stream.size(), rec), text("a").size());
    QCOMPARE(parser.state(), WsFrameParser::State::Stopped);
    QCOMPARE(parser.feed(stream.constData(), stream.size(), rec), 0);
    QCOMPARE(rec.events.size(), 1);
}

void tst_WsFrameParser::idleHoldsNothing()
{
    WsFrameParser parser(kLimit);
    Recorder rec;
    const QByteArray stream = text(QByteArray(5000, 'a'), false) + cont(QByteArray(5000, 'b'));
    parser.feed(stream.constData(), 7000, rec);
    QVERIFY(parser.bufferedBytes() >= 5000);
    QVERIFY(parser.inMessage());
    parser.feed(stream.constData() + 7000, stream.size() - 7000, rec);
    QCOMPARE(rec.events.size(), 1);
    QCOMPARE(parser.bufferedBytes(), 0);
    QVERIFY(!parser.inMessage());
}

QTEST_GUILESS_MAIN(tst_WsFrameParser)
#include "tst_ws_frame_parser.moc"
