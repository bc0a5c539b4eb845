// The generator's wire layer: RFC 6455 framing (masking, 7/16/64-bit
// lengths, fragments, frames split across reads), the opening handshake, and
// the allocation-free JSON reading of server frames.

#include "frame_reader.h"
#include "json_reader.h"
#include "server_frame.h"
#include "sha1.h"
#include "ws_frame.h"
#include "ws_handshake.h"

#include <QtTest>

#include <random>
#include <vector>

using namespace sanayicin::loadgen;
using ws::Opcode;

namespace {

std::string bytes(std::initializer_list<int> list)
{
    std::string s;
    for (int b : list)
        s.push_back(char(b));
    return s;
}

struct Got
{
    Opcode op;
    std::string payload;
};

// Feeds `stream` to a reader in pieces of the given sizes (cycled).
bool feed(ws::FrameReader &reader, std::string stream, const std::vector<size_t> &pieces,
          std::vector<Got> &out)
{
    size_t at = 0, i = 0;
    while (at < stream.size()) {
        const size_t n = std::min(pieces[i++ % pieces.size()], stream.size() - at);
        std::string chunk = stream.substr(at, n); // a separate buffer, as from recv()
        at += n;
        const bool ok = reader.consume(chunk.data(), chunk.size(), [&](Opcode op, std::string_view p) {
            out.push_back({op, std::string(p)});
            return true;
        });
        if (!ok)
            return false;
    }
    return true;
}

} // namespace

class tst_LoadgenFrames : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void rfcExamples();
    void lengthEncodings_data();
    void lengthEncodings();
    void maskingAtAnyOffset();
    void splitReadsGiveTheSameMessages();
    void fragmentedMessageWithControlFrameInside();
    void protocolErrors();
    void closePayload();
    void sha1AndAccept();
    void serverHandshake();
    void clientHandshake();
    void jsonReader();
    void serverFrames();
};

void tst_LoadgenFrames::rfcExamples()
{
    // RFC 6455 §5.7: an unmasked and a masked "Hello".
    std::string out;
    ws::appendFrame(out, Opcode::Text, "Hello", false, 0);
    QCOMPARE(out, bytes({0x81, 0x05, 'H', 'e', 'l', 'l', 'o'}));
    out.clear();
    ws::appendFrame(out, Opcode::Text, "Hello", true, 0x37fa213d);
    QCOMPARE(out, bytes({0x81, 0x85, 0x37, 0xfa, 0x21, 0x3d, 0x7f, 0x9f, 0x4d, 0x51, 0x58}));
    // And read back by a server-side reader (which unmasks in place).
    ws::FrameReader server(true, 1 << 20);
    std::vector<Got> got;
    QVERIFY(feed(server, out, {out.size()}, got));
    QCOMPARE(got.size(), size_t(1));
    QCOMPARE(got[0].payload, std::string("Hello"));
    // An unmasked ping with a body (§5.5.2).
    out.clear();
    ws::appendFrame(out, Opcode::Ping, "Hello", false, 0);
    QCOMPARE(out, bytes({0x89, 0x05, 'H', 'e', 'l', 'l', 'o'}));
}

void tst_LoadgenFrames::lengthEncodings_data()
{
    QTest::addColumn<int>("length");
    QTest::addColumn<int>("headerLength"); // unmasked
    QTest::newRow("0") << 0 << 2;
    QTest::newRow("125: 7-bit") << 125 << 2;
    QTest::newRow("126: 16-bit") << 126 << 4;
    QTest::newRow("256: 16-bit") << 256 << 4;
    QTest::newRow("65535: 16-bit") << 65535 << 4;
    QTest::newRow("65536: 64-bit") << 65536 << 10;
    QTest::newRow("100000: 64-bit") << 100000 << 10;
}

void tst_LoadgenFrames::lengthEncodings()
{
    QFETCH(int, length);
    QFETCH(int, headerLength);
    std::string payload(size_t(length), 'x');
    for (int i = 0; i < length; ++i)
        payload[size_t(i)] = char('a' + i % 26);
    std::string out;
    ws::appendFrame(out, Opcode::Text, payload, false, 0);
    QCOMPARE(int(out.size()), headerLength + length);
    if (headerLength == 4) {
        QCOMPARE(uint8_t(out[1]), uint8_t(126));
        QCOMPARE((uint8_t(out[2]) << 8) | uint8_t(out[3]), length);
    } else if (headerLength == 10) {
        QCOMPARE(uint8_t(out[1]), uint8_t(127));
        uint64_t n = 0;
        for (int i = 2; i < 10; ++i)
            n = (n << 8) | uint8_t(out[i]);
        QCOMPARE(n, uint64_t(length));
    }
    ws::FrameHeader h;
    QCOMPARE(ws::parseHeader(out.data(), out.size(), h), ws::ParseStatus::Ok);
    QCOMPARE(h.payloadLength, uint64_t(length));
    QCOMPARE(int(h.headerLength), headerLength);
    // Masked, both ways through a reader, in awkward pieces.
    std::string masked;
    ws::appendFrame(masked, Opcode::Text, payload, true, 0xa1b2c3d4);
    QCOMPARE(int(masked.size()), headerLength + 4 + length);
    ws::FrameReader server(true, 1 << 20);
    std::vector<Got> got;
    QVERIFY(feed(server, masked, {1, 3, 7, 1000}, got));
    QCOMPARE(got.size(), size_t(1));
    QVERIFY(got[0].payload == payload);
    // A truncated header asks for more.
    for (int cut = 0; cut < headerLength; ++cut)
        QCOMPARE(ws::parseHeader(out.data(), size_t(cut), h), ws::ParseStatus::NeedMore);
}

void tst_LoadgenFrames::maskingAtAnyOffset()
{
    std::mt19937 rng(7);
    for (size_t len = 0; len < 70; ++len) {
        for (size_t offset = 0; offset < 4; ++offset) {
            std::string data(len, '\0');
            for (char &c : data)
                c = char(rng());
            const uint32_t key = rng();
            std::string reference = data;
            const uint8_t k[4] = {uint8_t(key >> 24), uint8_t(key >> 16), uint8_t(key >> 8), uint8_t(key)};
            for (size_t i = 0; i < len; ++i)
                reference[i] = char(uint8_t(reference[i]) ^ k[(offset + i) & 3]);
            ws::applyMask(data.data(), len, key, offset);
            QVERIFY(data == reference);
        }
    }
}

void tst_LoadgenFrames::splitReadsGiveTheSameMessages()
{
    // What a server sends a client: unmasked text frames of several sizes,
    // a ping; cut at every possible place, then in random pieces.
    std::string stream;
    std::vector<std::string> texts;
    for (int n : {0, 1, 125, 126, 300, 70000, 17}) {
        std::string t(size_t(n), 'q');
        for (int i = 0; i < n; ++i)
            t[size_t(i)] = char('0' + (i * 7 + n) % 10);
        texts.push_back(t);
        ws::appendFrame(stream, Opcode::Text, t, false, 0);
    }
    ws::appendFrame(stream, Opcode::Ping, "p", false, 0);
    auto check = [&](const std::vector<Got> &got) {
        QCOMPARE(got.size(), texts.size() + 1);
        for (size_t i = 0; i < texts.size(); ++i) {
            QCOMPARE(got[i].op, Opcode::Text);
            QVERIFY(got[i].payload == texts[i]);
        }
        QCOMPARE(got.back().op, Opcode::Ping);
    };
    for (size_t cut = 1; cut < 400; cut += 7) {
        ws::FrameReader client(false, 1 << 20);
        std::vector<Got> got;
        QVERIFY(feed(client, stream, {cut, stream.size()}, got));
        check(got);
        QVERIFY(!client.holdsBytes());
    }
    std::mt19937 rng(11);
    for (int round = 0; round < 20; ++round) {
        std::vector<size_t> pieces;
        for (int i = 0; i < 50; ++i)
            pieces.push_back(1 + rng() % 5000);
        ws::FrameReader client(false, 1 << 20);
        std::vector<Got> got;
        QVERIFY(feed(client, stream, pieces, got));
        check(got);
    }
    ws::FrameReader byteByByte(false, 1 << 20);
    std::vector<Got> got;
    QVERIFY(feed(byteByByte, stream, {1}, got));
    check(got);
}

void tst_LoadgenFrames::fragmentedMessageWithControlFrameInside()
{
    // "Hel" (text, FIN=0), ping, "lo" (continuation, FIN=0), "!" (continuation, FIN=1).
    std::string stream = bytes({0x01, 0x03, 'H', 'e', 'l'});
    ws::appendFrame(stream, Opcode::Ping, "x", false, 0);
    stream += bytes({0x00, 0x02, 'l', 'o'});
    stream += bytes({0x80, 0x01, '!'});
    ws::appendFrame(stream, Opcode::Text, "next", false, 0);
    for (size_t piece : {size_t(1), size_t(2), size_t(5), stream.size()}) {
        ws::FrameReader client(false, 1 << 20);
        std::vector<Got> got;
        QVERIFY(feed(client, stream, {piece}, got));
        QCOMPARE(got.size(), size_t(3));
        QCOMPARE(got[0].op, Opcode::Ping); // control frames are not held back
        QCOMPARE(got[1].op, Opcode::Text);
        QCOMPARE(got[1].payload, std::string("Hello!"));
        QCOMPARE(got[2].payload, std::string("next"));
    }
}

void tst_LoadgenFrames::protocolErrors()
{
    {
        // A masked frame to a client.
        std::string s;
        ws::appendFrame(s, Opcode::Text, "hi", true, 1);
        ws::FrameReader client(false, 1 << 20);
        std::vector<Got> got;
        QVERIFY(!feed(client, s, {s.size()}, got));
        QCOMPARE(client.closeCode(), uint16_t(1002));
    }
    {
        // An unmasked frame to a server.
        std::string s;
        ws::appendFrame(s, Opcode::Text, "hi", false, 0);
        ws::FrameReader server(true, 1 << 20);
        std::vector<Got> got;
        QVERIFY(!feed(server, s, {s.size()}, got));
        QCOMPARE(server.closeCode(), uint16_t(1002));
    }
    {
        // Too big.
        std::string s;
        ws::appendFrame(s, Opcode::Text, std::string(2000, 'a'), false, 0);
        ws::FrameReader client(false, 1000);
        std::vector<Got> got;
        QVERIFY(!feed(client, s, {s.size()}, got));
        QCOMPARE(client.closeCode(), uint16_t(1009));
    }
    {
        // A continuation without a start; a control frame with 126 bytes; RSV bits.
        for (const std::string &s : {bytes({0x80, 0x01, 'x'}), bytes({0x89, 0x7E, 0x00, 0x7E}),
                                     bytes({0xC1, 0x01, 'x'}), bytes({0x83, 0x00})}) {
            ws::FrameReader client(false, 1 << 20);
            std::vector<Got> got;
            QVERIFY(!feed(client, s, {s.size()}, got));
        }
    }
}

void tst_LoadgenFrames::closePayload()
{
    const std::string p = ws::closePayload(4001, "unauthorized");
    QCOMPARE(ws::closeCodeOf(p), uint16_t(4001));
    QCOMPARE(p.substr(2), std::string("unauthorized"));
    QCOMPARE(ws::closeCodeOf(""), uint16_t(1005));
}

void tst_LoadgenFrames::sha1AndAccept()
{
    const auto d = sha1("abc");
    QCOMPARE(QByteArray(reinterpret_cast<const char *>(d.data()), 20).toHex(),
             QByteArray("a9993e364706816aba3e25717850c26c9cd0d89d"));
    const auto d2 = sha1("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"); // two blocks
    QCOMPARE(QByteArray(reinterpret_cast<const char *>(d2.data()), 20).toHex(),
             QByteArray("84983e441c3bd26ebaae4aa1f95129e5e54670f1"));
    // RFC 6455 §1.3.
    QCOMPARE(ws::acceptFor("dGhlIHNhbXBsZSBub25jZQ=="), std::string("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
    QCOMPARE(ws::makeKey(1, 2).size(), size_t(24));
    QCOMPARE(base64(reinterpret_cast<const uint8_t *>("ab"), 2), std::string("YWI="));
    QCOMPARE(base64(reinterpret_cast<const uint8_t *>("a"), 1), std::string("YQ=="));
}

void tst_LoadgenFrames::serverHandshake()
{
    const std::string accept = ws::acceptFor("dGhlIHNhbXBsZSBub25jZQ==");
    const std::string ok = "HTTP/1.1 101 Switching Protocols\r\nupgrade: WebSocket\r\n"
                           "Connection: Upgrade\r\nSec-WebSocket-Accept: "
                           + accept + "\r\n\r\n";
    size_t headerLength = 0;
    int status = 0;
    // The first frame may come in the same read as the answer.
    const std::string withFrame = ok + bytes({0x81, 0x00});
    QCOMPARE(ws::parseServerResponse(withFrame, accept, headerLength, status), ws::HandshakeStatus::Ok);
    QCOMPARE(headerLength, ok.size());
    QCOMPARE(status, 101);
    QCOMPARE(ws::parseServerResponse(ok.substr(0, ok.size() - 1), accept, headerLength, status),
             ws::HandshakeStatus::NeedMore);
    QCOMPARE(ws::parseServerResponse(ok, "wrong", headerLength, status), ws::HandshakeStatus::Error);
    QCOMPARE(ws::parseServerResponse("HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n", accept,
                                     headerLength, status),
             ws::HandshakeStatus::Error);
    QCOMPARE(status, 404);
}

void tst_LoadgenFrames::clientHandshake()
{
    const std::string req = ws::clientRequest("127.0.0.1:8080", "/ws", "dGhlIHNhbXBsZSBub25jZQ==", "tok");
    ws::UpgradeRequest r;
    size_t headerLength = 0;
    QCOMPARE(ws::parseClientRequest(req, r, headerLength), ws::HandshakeStatus::Ok);
    QCOMPARE(headerLength, req.size());
    QCOMPARE(std::string(r.path), std::string("/ws"));
    QCOMPARE(std::string(r.key), std::string("dGhlIHNhbXBsZSBub25jZQ=="));
    QCOMPARE(std::string(r.authorization), std::string("Bearer tok"));
    QVERIFY(ws::serverResponse(r.key).find("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=") != std::string::npos);
    const std::string noToken = ws::clientRequest("h:1", "/ws", "k", "");
    QVERIFY(noToken.find("Authorization") == std::string::npos);
}

void tst_LoadgenFrames::jsonReader()
{
    json::ObjectReader r(" { \"a\" : 1, \"s\":\"x\\\"y\\\\\", \"o\":{\"n\":[1,{\"z\":\"}\"}]}, \"t\":true,\"f\":false,\"n\":null,\"neg\":-12 } ");
    std::string_view key;
    json::Value v;
    int64_t i = 0;
    QVERIFY(r.next(key, v));
    QCOMPARE(std::string(key), std::string("a"));
    QVERIFY(v.toInt(i));
    QCOMPARE(i, 1);
    QVERIFY(r.next(key, v));
    QCOMPARE(std::string(v.raw), std::string("x\\\"y\\\\")); // escapes kept
    QVERIFY(r.next(key, v));
    QCOMPARE(v.kind, json::Value::Kind::Object);
    QCOMPARE(std::string(v.raw), std::string("{\"n\":[1,{\"z\":\"}\"}]}"));
    QVERIFY(r.next(key, v) && v.kind == json::Value::Kind::True);
    QVERIFY(r.next(key, v) && v.kind == json::Value::Kind::False);
    QVERIFY(r.next(key, v) && v.kind == json::Value::Kind::Null);
    QVERIFY(r.next(key, v) && v.toInt(i));
    QCOMPARE(i, -12);
    QVERIFY(!r.next(key, v));
    QVERIFY(!r.failed());

    for (const char *bad : {"", "[1]", "{\"a\":}", "{\"a\" 1}", "{\"a\":1,}", "{\"a\":\"open"}) {
        json::ObjectReader b(bad);
        while (b.next(key, v)) {
        }
        QVERIFY2(b.failed(), bad);
    }
    json::ObjectReader empty("{}");
    QVERIFY(!empty.next(key, v));
    QVERIFY(!empty.failed());
    QVERIFY(!json::parseInt("1.5", i));
    QVERIFY(!json::parseInt("12345678901234567890", i));
}

void tst_LoadgenFrames::serverFrames()
{
    // Shapes as the daemon writes them (common/protocol/objects.cpp).
    ServerFrame f;
    QVERIFY(parseServerFrame(
        "{\"type\":\"ack\",\"client_msg_id\":\"00000001.2.3.4\",\"message\":{\"id\":77,\"conversation_id\":5,\"seq\":9,\"sender_id\":3,\"body\":\"a \\\"quoted\\\" body with client_msg_id\",\"client_msg_id\":\"00000001.2.3.4\",\"created_at\":\"2026-11-26T05:39:38.123Z\"}}",
        f));
    QCOMPARE(f.type, ServerFrame::Type::Ack);
    QCOMPARE(std::string(f.clientMsgId), std::string("00000001.2.3.4"));
    QCOMPARE(f.id, 77);
    QCOMPARE(f.conversationId, 5);
    QCOMPARE(f.seq, 9);
    QCOMPARE(f.senderId, 3);

    QVERIFY(parseServerFrame(
        "{\"type\":\"message\",\"message\":{\"id\":78,\"conversation_id\":5,\"seq\":10,\"sender_id\":4,\"body\":\"x\",\"client_msg_id\":\"m\",\"created_at\":\"t\"}}",
        f));
    QCOMPARE(f.type, ServerFrame::Type::Message);
    QCOMPARE(f.seq, 10);
    QCOMPARE(std::string(f.clientMsgId), std::string("m"));

    QVERIFY(parseServerFrame(
        "{\"type\":\"hello\",\"user\":{\"id\":12,\"username\":\"u\",\"display_name\":\"d\",\"role\":\"customer\",\"created_at\":\"t\"},\"instance\":\"i\",\"heartbeat_s\":30,\"last_message_id\":0}",
        f));
    QCOMPARE(f.type, ServerFrame::Type::Hello);
    QCOMPARE(f.userId, 12);
    QCOMPARE(f.heartbeatS, 30);

    QVERIFY(parseServerFrame(
        "{\"type\":\"error\",\"code\":\"rate_limited\",\"message\":\"slow down\",\"ref\":\"00000001.2.3.4\",\"retry_after_ms\":250}", f));
    QCOMPARE(f.type, ServerFrame::Type::Error);
    QCOMPARE(std::string(f.code), std::string("rate_limited"));
    QCOMPARE(std::string(f.ref), std::string("00000001.2.3.4"));
    QCOMPARE(f.retryAfterMs, 250);

    QVERIFY(parseServerFrame("{\"type\":\"pong\",\"ts\":123456}", f));
    QCOMPARE(f.type, ServerFrame::Type::Pong);
    QVERIFY(f.hasTs);
    QCOMPARE(f.ts, 123456);

    // synced: where a sync page ended and whether to ask again (--history
    // syncs until has_more is false).
    QVERIFY(parseServerFrame("{\"type\":\"synced\",\"last_id\":9007199254740993,\"has_more\":true}", f));
    QCOMPARE(f.type, ServerFrame::Type::Synced);
    QCOMPARE(f.lastId, Q_INT64_C(9007199254740993));
    QVERIFY(f.hasMore);
    QVERIFY(parseServerFrame("{\"type\":\"synced\",\"last_id\":0,\"has_more\":false}", f));
    QCOMPARE(f.lastId, 0);
    QVERIFY(!f.hasMore);
    QVERIFY(parseServerFrame("{\"type\":\"synced\",\"last_id\":5,\"has_more\":\"true\"}", f));
    QVERIFY(!f.hasMore); // only the JSON literal true means more

    QVERIFY(parseServerFrame("{\"type\":\"presence\",\"user_id\":4,\"online\":true}", f));
    QCOMPARE(f.type, ServerFrame::Type::Presence);
    QVERIFY(parseServerFrame("{\"type\":\"brand_new\"}", f));
    QCOMPARE(f.type, ServerFrame::Type::Unknown);
    QVERIFY(!parseServerFrame("{\"no_type\":1}", f));
    QVERIFY(!parseServerFrame("not json", f));
}

QTEST_APPLESS_MAIN(tst_LoadgenFrames)
#include "tst_loadgen_frames.moc"
