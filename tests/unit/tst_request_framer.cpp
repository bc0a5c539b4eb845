// RequestFramer: what it passes and refuses (status), at the edges of every
// limit, whatever the chunking of the stream, and where requests end.

#include "http/request_framer.h"

#include <QRandomGenerator>
#include <QtTest>

using namespace sanayicin;

namespace {

struct Outcome
{
    int status = 0; // 0: passed
    qint64 completed = 0;
    qint64 boundary = 0;
    bool upgraded = false;
    bool midRequest = false;

    bool operator==(const Outcome &) const = default;
};

char *toString(const Outcome &o)
{
    return qstrdup(QStringLiteral("status %1, %2 complete, boundary %3%4%5")
                       .arg(o.status)
                       .arg(o.completed)
                       .arg(o.boundary)
                       .arg(o.upgraded ? QStringLiteral(", upgraded") : QString())
                       .arg(o.midRequest ? QStringLiteral(", mid-request") : QString())
                       .toUtf8()
                       .constData());
}

FramingLimits small()
{
    FramingLimits l;
    l.requestLine = 64;
    l.headerSection = 128;
    l.headerCount = 5;
    l.body = 100;
    return l;
}

Outcome run(const QByteArray &stream, const FramingLimits &limits, const QList<qsizetype> &cuts)
{
    RequestFramer f(limits);
    qsizetype at = 0;
    for (qsizetype cut : cuts) {
        if (!f.feed(QByteArrayView(stream).sliced(at, cut - at)))
            break;
        at = cut;
    }
    if (!f.refused())
        f.feed(QByteArrayView(stream).sliced(at));
    return {f.status(), f.completed(), f.boundary(), f.upgraded(), f.midRequest()};
}

// The same outcome fed whole, byte by byte, and in random pieces.
Outcome framed(const QByteArray &stream, const FramingLimits &limits = small())
{
    const Outcome whole = run(stream, limits, {});
    QList<qsizetype> bytes;
    for (qsizetype i = 1; i < stream.size(); ++i)
        bytes << i;
    const Outcome byByte = run(stream, limits, bytes);
    if (!(byByte == whole))
        qWarning("byte by byte: %s, whole: %s", toString(byByte), toString(whole));
    QRandomGenerator rng(quint32(stream.size()));
    for (int round = 0; round < 5; ++round) {
        QList<qsizetype> cuts;
        for (qsizetype i = 1; i < stream.size(); ++i)
            if (rng.bounded(7) == 0)
                cuts << i;
        const Outcome pieces = run(stream, limits, cuts);
        if (!(pieces == whole))
            qWarning("in pieces: %s, whole: %s", toString(pieces), toString(whole));
        if (!(pieces == whole))
            return {-1, 0, 0, false, false};
    }
    return byByte == whole ? whole : Outcome{-1, 0, 0, false, false};
}

QByteArray get(const QByteArray &target = "/", const QByteArray &headers = "Host: x\r\n")
{
    return "GET " + target + " HTTP/1.1\r\n" + headers + "\r\n";
}

QByteArray post(const QByteArray &body, const QByteArray &extra = {})
{
    return "POST /p HTTP/1.1\r\nHost: x\r\nContent-Length: " + QByteArray::number(body.size())
           + "\r\n" + extra + "\r\n" + body;
}

QByteArray chunked(const QList<QByteArray> &chunks, const QByteArray &end = "0\r\n\r\n")
{
    QByteArray out = "POST /p HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    for (const QByteArray &c : chunks)
        out += QByteArray::number(c.size(), 16) + "\r\n" + c + "\r\n";
    return out + end;
}

} // namespace

Q_DECLARE_METATYPE(Outcome)

class tst_RequestFramer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void verdicts_data();
    void verdicts();
    void requestLineAtTheLimit();
    void headerSectionAtTheLimit();
    void headerCountAtTheLimit();
    void fieldLineAtQtsLimit();
    void bodyAtTheLimit();
    void chunkedAtTheLimit();
    void chunkFramingAllowance();
    void everyTruncationIsMidRequest();
    void refusalIsFinal();
    void upgradePassesTheRest();
    void midRequestIgnoresEmptyLines();
    void defaultsFitQt();
};

void tst_RequestFramer::verdicts_data()
{
    QTest::addColumn<QByteArray>("stream");
    QTest::addColumn<int>("status");
    QTest::addColumn<int>("completed");

    const QByteArray g = get();
    QTest::newRow("empty") << QByteArray() << 0 << 0;
    QTest::newRow("GET") << g << 0 << 1;
    QTest::newRow("three pipelined") << g + g + g << 0 << 3;
    QTest::newRow("empty lines before") << "\r\n\n\r\n" + g << 0 << 1;
    QTest::newRow("LF line ends") << QByteArray("GET / HTTP/1.1\nHost: x\n\n") << 0 << 1;
    QTest::newRow("HTTP/1.0") << QByteArray("GET / HTTP/1.0\r\n\r\n") << 0 << 1;
    QTest::newRow("no Host") << QByteArray("GET / HTTP/1.1\r\n\r\n") << 0 << 1;
    QTest::newRow("OPTIONS *") << QByteArray("OPTIONS * HTTP/1.1\r\nHost: x\r\n\r\n") << 0 << 1;
    QTest::newRow("absolute form") << get("http://x/y?q=1") << 0 << 1;
    QTest::newRow("query escapes") << get("/t?q=a+b%2Bc%C3%A7") << 0 << 1;
    QTest::newRow("header without space") << get("/", "Host:x\r\nA:b\r\n") << 0 << 1;
    QTest::newRow("empty header value") << get("/", "Host: x\r\nX-E:\r\n") << 0 << 1;
    QTest::newRow("obs-text in value") << get("/", "Host: x\r\nX: \xc3\xa7\r\n") << 0 << 1;
    QTest::newRow("tab in value") << get("/", "Host: x\r\nX: a\tb\r\n") << 0 << 1;
    QTest::newRow("POST body") << post("hello") << 0 << 1;
    QTest::newRow("POST then GET") << post("hello") + g << 0 << 2;
    QTest::newRow("Content-Length 0") << post({}) << 0 << 1;
    QTest::newRow("Content-Length leading zeros")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 0003\r\n\r\nabc") << 0 << 1;
    QTest::newRow("same Content-Length twice")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 3\r\n\r\nabc") << 0 << 1;
    QTest::newRow("chunked") << chunked({"hello", " world"}) << 0 << 1;
    QTest::newRow("chunked, upper-case coding")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: Chunked\r\n\r\n0\r\n\r\n") << 0 << 1;
    QTest::newRow("chunked then GET") << chunked({"abc"}) + g << 0 << 2;
    QTest::newRow("chunk extension") << chunked({}, "3;name=value\r\nabc\r\n0;x\r\n\r\n") << 0 << 1;
    QTest::newRow("chunk size upper hex")
        << chunked({}, "A\r\n0123456789\r\n0\r\n\r\n") << 0 << 1;
    QTest::newRow("chunk size leading zeros") << chunked({}, "0003\r\nabc\r\n000\r\n\r\n") << 0 << 1;

    // 400
    QTest::newRow("bare CR in request line") << QByteArray("GET /\r HTTP/1.1\r\n\r\n") << 400 << 0;
    QTest::newRow("bare CR in header") << get("/", "A: b\rc\r\n") << 400 << 0;
    QTest::newRow("CR CR LF") << QByteArray("GET / HTTP/1.1\r\r\n\r\n") << 400 << 0;
    QTest::newRow("no version") << QByteArray("GET /\r\n\r\n") << 400 << 0;
    QTest::newRow("two spaces") << QByteArray("GET  / HTTP/1.1\r\n\r\n") << 400 << 0;
    QTest::newRow("trailing space") << QByteArray("GET / HTTP/1.1 \r\n\r\n") << 400 << 0;
    QTest::newRow("space first") << QByteArray(" GET / HTTP/1.1\r\n\r\n") << 400 << 0;
    QTest::newRow("tab separator") << QByteArray("GET\t/ HTTP/1.1\r\n\r\n") << 400 << 0;
    QTest::newRow("HTTP/2.0") << QByteArray("GET / HTTP/2.0\r\n\r\n") << 400 << 0;
    QTest::newRow("HTTP/1.2") << QByteArray("GET / HTTP/1.2\r\n\r\n") << 400 << 0;
    QTest::newRow("http/1.1") << QByteArray("GET / http/1.1\r\n\r\n") << 400 << 0;
    QTest::newRow("h2 preface") << QByteArray("PRI * HTTP/2.0\r\n\r\nSM\r\n\r\n") << 400 << 0;
    QTest::newRow("method not a token") << QByteArray("G(T / HTTP/1.1\r\n\r\n") << 400 << 0;
    QTest::newRow("target without slash") << get("x") << 400 << 0;
    QTest::newRow("broken escape") << get("/t?q=%zz") << 400 << 0;
    QTest::newRow("short escape") << get("/t?q=%4") << 400 << 0;
    QTest::newRow("escape at end") << get("/t%") << 400 << 0;
    QTest::newRow("fragment") << get("/t#x") << 400 << 0;
    QTest::newRow("non-ASCII target") << get("/\xc3\xa7") << 400 << 0;
    QTest::newRow("DEL in target") << get("/\x7f") << 400 << 0;
    QTest::newRow("obs-fold") << get("/", "Host: x\r\nA: b\r\n c\r\n") << 400 << 0;
    QTest::newRow("header starts with space") << get("/", " A: b\r\n") << 400 << 0;
    QTest::newRow("no colon") << get("/", "Host x\r\n") << 400 << 0;
    QTest::newRow("empty name") << get("/", ": x\r\n") << 400 << 0;
    QTest::newRow("space before colon") << get("/", "Host : x\r\n") << 400 << 0;
    QTest::newRow("NUL in value") << get("/", QByteArray("A: b\0c\r\n", 8)) << 400 << 0;
    QTest::newRow("control in value") << get("/", "A: b\x01\r\n") << 400 << 0;
    QTest::newRow("two Hosts") << get("/", "Host: a\r\nHost: a\r\n") << 400 << 0;
    QTest::newRow("Host with userinfo") << get("/", "Host: u@h\r\n") << 400 << 0;
    QTest::newRow("Host with slash") << get("/", "Host: h/p\r\n") << 400 << 0;
    QTest::newRow("Content-Length sign")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: +3\r\n\r\nabc") << 400 << 0;
    QTest::newRow("Content-Length negative")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: -1\r\n\r\n") << 400 << 0;
    QTest::newRow("Content-Length list")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3, 3\r\n\r\nabc") << 400 << 0;
    QTest::newRow("Content-Length empty")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length:\r\n\r\n") << 400 << 0;
    QTest::newRow("Content-Length hex")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 0x3\r\n\r\nabc") << 400 << 0;
    QTest::newRow("conflicting Content-Lengths")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd") << 400 << 0;
    QTest::newRow("Content-Length and chunked")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 3\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n")
        << 400 << 0;
    QTest::newRow("chunked and Content-Length")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nContent-Length: 3\r\n\r\n0\r\n\r\n")
        << 400 << 0;
    QTest::newRow("gzip") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip\r\n\r\n") << 400 << 0;
    QTest::newRow("gzip, chunked")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("chunked twice")
        << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\nTransfer-Encoding: chunked\r\n\r\n")
        << 400 << 0;
    QTest::newRow("identity") << QByteArray("POST / HTTP/1.1\r\nTransfer-Encoding: identity\r\n\r\n") << 400 << 0;
    QTest::newRow("chunked in HTTP/1.0")
        << QByteArray("POST / HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("chunk size not hex") << chunked({}, "zz\r\n") << 400 << 0;
    QTest::newRow("chunk size 0x") << chunked({}, "0x3\r\nabc\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("chunk size with space") << chunked({}, "3 \r\nabc\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("chunk size empty") << chunked({}, "\r\n") << 400 << 0;
    QTest::newRow("chunk size LF only") << chunked({}, "3\nabc\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("chunk data without CRLF") << chunked({}, "3\r\nabcX\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("chunk data with LF only") << chunked({}, "3\r\nabc\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("trailer") << chunked({"abc"}, "0\r\nX-T: 1\r\n\r\n") << 400 << 0;
    QTest::newRow("last chunk with LF only") << chunked({"abc"}, "0\r\n\n") << 400 << 0;
    QTest::newRow("chunk extension with control") << chunked({}, "3;\x01\r\nabc\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("chunk extension without semicolon") << chunked({}, "3x\r\nabc\r\n0\r\n\r\n") << 400 << 0;
    QTest::newRow("good then bad") << g + QByteArray("BAD\r\n\r\n") << 400 << 1;

    // 413
    QTest::newRow("Content-Length over") << QByteArray("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n")
                                         << 413 << 0;
    QTest::newRow("Content-Length 2^63-1")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 9223372036854775807\r\n\r\n") << 413 << 0;
    QTest::newRow("Content-Length 2^63")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 9223372036854775808\r\n\r\n") << 413 << 0;
    QTest::newRow("Content-Length 2^64-1")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 18446744073709551615\r\n\r\n") << 413 << 0;
    QTest::newRow("Content-Length 2^64")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: 18446744073709551616\r\n\r\n") << 413 << 0;
    QTest::newRow("Content-Length 40 digits")
        << QByteArray("POST / HTTP/1.1\r\nContent-Length: " + QByteArray(40, '9') + "\r\n\r\n") << 413 << 0;
    QTest::newRow("chunk over") << chunked({QByteArray(101, 'a')}) << 413 << 0;
    QTest::newRow("chunks over in sum") << chunked({QByteArray(60, 'a'), QByteArray(41, 'b')}) << 413 << 0;
    QTest::newRow("chunk size 2^64") << chunked({}, "10000000000000000\r\n") << 413 << 0;
    QTest::newRow("chunk size 2^64-1") << chunked({}, "FFFFFFFFFFFFFFFF\r\n") << 413 << 0;
    QTest::newRow("chunk size 2^63") << chunked({}, "8000000000000000\r\n") << 413 << 0;
    QTest::newRow("chunk size 40 hex digits") << chunked({}, QByteArray(40, 'f') + "\r\n") << 413 << 0;
    QTest::newRow("chunk line over the framing allowance")
        << chunked({}, "3;" + QByteArray(200, 'e') + "\r\n") << 413 << 0;

    // 414, 431
    QTest::newRow("request line too long") << get("/" + QByteArray(100, 'a')) << 414 << 0;
    QTest::newRow("empty lines too many") << QByteArray(100, '\n') + g << 414 << 0;
    QTest::newRow("headers too large") << get("/", "A: " + QByteArray(200, 'b') + "\r\n") << 431 << 0;
    QTest::newRow("too many headers")
        << get("/", "A: 1\r\nA: 2\r\nA: 3\r\nA: 4\r\nA: 5\r\nA: 6\r\n") << 431 << 0;
}

void tst_RequestFramer::verdicts()
{
    QFETCH(QByteArray, stream);
    QFETCH(int, status);
    QFETCH(int, completed);
    const Outcome o = framed(stream);
    QVERIFY2(o.status != -1, "chunking changed the outcome");
    QCOMPARE(o.status, status);
    QCOMPARE(o.completed, qint64(completed));
    if (status == 0) {
        QCOMPARE(o.boundary, qint64(stream.size()));
        QVERIFY(!o.midRequest);
    }
}

// The request line's allowance counts its bytes and its line end.
void tst_RequestFramer::requestLineAtTheLimit()
{
    const FramingLimits l = small(); // 64
    const QByteArray prefix = "GET /";
    const QByteArray suffix = " HTTP/1.1\r\n";
    const QByteArray fits = prefix + QByteArray(64 - prefix.size() - suffix.size(), 'a') + suffix;
    QCOMPARE(fits.size(), 64);
    QCOMPARE(framed(fits + "\r\n", l).status, 0);
    const QByteArray over = prefix + QByteArray(65 - prefix.size() - suffix.size(), 'a') + suffix;
    QCOMPARE(framed(over + "\r\n", l).status, 414);
    // Refused as soon as the allowance is passed, without a line end.
    RequestFramer f(l);
    QVERIFY(f.feed(QByteArray(64, 'G')));
    QVERIFY(!f.feed("G"));
    QCOMPARE(f.status(), 414);
}

void tst_RequestFramer::headerSectionAtTheLimit()
{
    const FramingLimits l = small(); // 128, counting the blank line
    const QByteArray line = "GET / HTTP/1.1\r\n";
    auto withHeader = [&](int sectionBytes) {
        // "A: " + value + "\r\n" + "\r\n" == sectionBytes
        return line + "A: " + QByteArray(sectionBytes - 7, 'v') + "\r\n\r\n";
    };
    QCOMPARE(framed(withHeader(128), l).status, 0);
    QCOMPARE(framed(withHeader(129), l).status, 431);
    RequestFramer f(l);
    QVERIFY(f.feed(line + "A: " + QByteArray(125, 'v')));
    QVERIFY(!f.feed("v"));
    QCOMPARE(f.status(), 431);
}

void tst_RequestFramer::headerCountAtTheLimit()
{
    QByteArray five, six;
    for (int i = 0; i < 5; ++i)
        five += "H" + QByteArray::number(i) + ": v\r\n";
    six = five + "H5: v\r\n";
    QCOMPARE(framed(get("/", five)).status, 0);
    QCOMPARE(framed(get("/", six)).status, 431);
    FramingLimits l;
    QByteArray hundred;
    for (int i = 0; i < 100; ++i)
        hundred += "H" + QByteArray::number(i) + ": v\r\n";
    QCOMPARE(framed(get("/", hundred), l).status, 0);
    QCOMPARE(framed(get("/", hundred + "H100: v\r\n"), l).status, 431);
}

// QtHttpServer 6.4 drops every header when one line is over 8 KiB: the
// framer never passes such a line, whatever --http-header-limit says.
void tst_RequestFramer::fieldLineAtQtsLimit()
{
    FramingLimits l;
    l.headerSection = 64 * 1024;
    const QByteArray fits = "A:" + QByteArray(8190, 'v'); // 8192 bytes
    QCOMPARE(framed(get("/", fits + "\r\n"), l).status, 0);
    QCOMPARE(framed(get("/", fits + "v\r\n"), l).status, 431);
    QCOMPARE(framed(get("/", fits + "\n"), l).status, 0);
}

void tst_RequestFramer::bodyAtTheLimit()
{
    QCOMPARE(framed(post(QByteArray(100, 'b'))).status, 0);
    QCOMPARE(framed(post(QByteArray(101, 'b'))).status, 413);
    // Refused on the header alone, before any body byte.
    RequestFramer f(small());
    QVERIFY(!f.feed("POST / HTTP/1.1\r\nContent-Length: 101\r\n\r\n"));
    QCOMPARE(f.status(), 413);
}

void tst_RequestFramer::chunkedAtTheLimit()
{
    QCOMPARE(framed(chunked({QByteArray(100, 'a')})).status, 0);
    QCOMPARE(framed(chunked({QByteArray(50, 'a'), QByteArray(50, 'b')})).status, 0);
    QCOMPARE(framed(chunked({QByteArray(50, 'a'), QByteArray(51, 'b')})).status, 413);
    // Refused at the size line, before the data.
    RequestFramer f(small());
    QVERIFY(!f.feed("POST / HTTP/1.1\r\nTransfer-Encoding: chunked\r\n\r\n65\r\n"));
    QCOMPARE(f.status(), 413);
}

// A chunked body may spend as many bytes on framing as on data: tiny chunks
// cannot make the request much longer on the wire than the limit.
void tst_RequestFramer::chunkFramingAllowance()
{
    const FramingLimits l = small(); // body 100, framing 100
    // "1\r\nx\r\n": 5 framing bytes per chunk; 20 chunks use all 100.
    QList<QByteArray> twenty(20, QByteArray("x"));
    const QByteArray fits = chunked(twenty, {});
    RequestFramer f(l);
    QVERIFY(f.feed(fits));
    QVERIFY(!f.feed("0\r\n\r\n"));
    QCOMPARE(f.status(), 413);
    QList<QByteArray> nineteen(19, QByteArray("x"));
    QCOMPARE(framed(chunked(nineteen), l).status, 0);
    // With room to spare, a size line is still at most 1 KiB.
    FramingLimits d;
    QCOMPARE(framed(chunked({}, "3;" + QByteArray(1022, 'e') + "\r\nabc\r\n0\r\n\r\n"), d).status, 0);
    QCOMPARE(framed(chunked({}, "3;" + QByteArray(1023, 'e') + "\r\nabc\r\n0\r\n\r\n"), d).status, 400);
    // The most any passing request can take on the wire.
    QVERIFY(l.largestRequest() >= 64 + 128 + 100 + 100 + 5);
}

// Every proper prefix of a good request is pending, never refused.
void tst_RequestFramer::everyTruncationIsMidRequest()
{
    const QList<QByteArray> requests{get("/a?b=c", "Host: x\r\nX: y\r\n"), post("0123456789"),
                                     chunked({"abc", "defg"})};
    for (const QByteArray &r : requests) {
        for (qsizetype n = 1; n < r.size(); ++n) {
            RequestFramer f(small());
            QVERIFY2(f.feed(r.first(n)), r.first(n).constData());
            QCOMPARE(f.completed(), qint64(0));
            QVERIFY(f.midRequest());
        }
        RequestFramer f(small());
        QVERIFY(f.feed(r));
        QCOMPARE(f.completed(), qint64(1));
        QVERIFY(!f.midRequest());
    }
}

void tst_RequestFramer::refusalIsFinal()
{
    RequestFramer f(small());
    QVERIFY(f.feed(get()));
    QVERIFY(!f.feed("GET /%zz HTTP/1.1\r\n"));
    QCOMPARE(f.status(), 400);
    QVERIFY(QByteArray(f.message()).size() > 0);
    QVERIFY(!f.feed(get()));
    QCOMPARE(f.completed(), qint64(1));
    QCOMPARE(f.boundary(), qint64(get().size()));
}

// After an upgrade request QtHttpServer reads no more HTTP; nor does the framer.
void tst_RequestFramer::upgradePassesTheRest()
{
    const QByteArray upgrade =
        get("/ws", "Host: x\r\nUpgrade: WebSocket\r\nConnection: keep-alive, Upgrade\r\n");
    RequestFramer f(small());
    QVERIFY(f.feed(upgrade + "\x81\x85 frames, not HTTP \r\n\r\n"));
    QVERIFY(f.upgraded());
    QVERIFY(!f.midRequest());
    QCOMPARE(f.boundary(), qint64(upgrade.size()));
    // Without "Connection: upgrade", or with two Upgrade headers, it is HTTP.
    const QByteArray noConnection = get("/ws", "Host: x\r\nUpgrade: websocket\r\n");
    QCOMPARE(framed(noConnection + "junk\r\n\r\n").status, 400);
    const QByteArray twoUpgrades =
        get("/ws", "Upgrade: websocket\r\nUpgrade: websocket\r\nConnection: upgrade\r\n");
    const Outcome o = framed(twoUpgrades + get());
    QCOMPARE(o.status, 0);
    QVERIFY(!o.upgraded);
    QCOMPARE(o.completed, qint64(2));
}

void tst_RequestFramer::midRequestIgnoresEmptyLines()
{
    RequestFramer f(small());
    QVERIFY(f.feed("\r\n\r\n"));
    QVERIFY(!f.midRequest());
    QVERIFY(f.feed("G"));
    QVERIFY(f.midRequest());
}

// What the daemon's defaults mean on the wire (docs/operations.md).
void tst_RequestFramer::defaultsFitQt()
{
    const FramingLimits d;
    QCOMPARE(d.requestLine, qsizetype(8192));
    QCOMPARE(d.headerSection, qsizetype(16384));
    QCOMPARE(d.headerCount, 100);
    QCOMPARE(d.largestRequest(), qint64(8192 + 16384 + 65536 + 65536 + 5));
}

QTEST_APPLESS_MAIN(tst_RequestFramer)
#include "tst_request_framer.moc"
