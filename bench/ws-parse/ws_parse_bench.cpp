// Frame parsing throughput of the native WebSocket, old against new, in one
// run: the read path of c79186b (a per-connection buffer grown by 64 KiB
// for every read, payload copied out and unmasked byte by byte, UTF-8
// checked once the message is whole) beside WsFrameParser fed from one
// shared read buffer. No sockets: the "reads" are memcpy's of a prepared
// stream of masked client frames, cut like the kernel would hand them over.
// Built and run by bench/ws-parse.sh (g++ -O2).

#include "text/utf8.h"
#include "ws/ws_frame_parser.h"

#include <QByteArray>
#include <QElapsedTimer>
#include <QList>
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <vector>

using namespace sanayicin;

namespace {

// --- the old path (server/ws/native_ws_transport.cpp at c79186b, I/O removed)
bool oldIsValidUtf8(QByteArrayView data)
{
    const auto *p = reinterpret_cast<const unsigned char *>(data.data());
    const auto *end = p + data.size();
    while (p < end) {
        const unsigned char c = *p;
        if (c < 0x80) {
            ++p;
            continue;
        }
        int extra;
        unsigned char lo = 0x80, hi = 0xbf;
        if (c >= 0xc2 && c <= 0xdf) {
            extra = 1;
        } else if (c >= 0xe0 && c <= 0xef) {
            extra = 2;
            if (c == 0xe0)
                lo = 0xa0;
            else if (c == 0xed)
                hi = 0x9f;
        } else if (c >= 0xf0 && c <= 0xf4) {
            extra = 3;
            if (c == 0xf0)
                lo = 0x90;
            else if (c == 0xf4)
                hi = 0x8f;
        } else {
            return false;
        }
        if (end - p <= extra)
            return false;
        if (p[1] < lo || p[1] > hi)
            return false;
        for (int i = 2; i <= extra; ++i)
            if ((p[i] & 0xc0) != 0x80)
                return false;
        p += extra + 1;
    }
    return true;
}

struct OldParser
{
    QByteArray in, message;
    quint8 messageOpcode = 0;
    qint64 limit;
    qint64 delivered = 0, bytes = 0;

    explicit OldParser(qint64 l) : limit(l) {}

    void read(const char *data, qsizetype n)
    {
        const qsizetype old = in.size();
        in.resize(old + 64 * 1024); // as onReadable did before recv()
        std::memcpy(in.data() + old, data, size_t(n));
        in.resize(old + n);
        parse();
        if (in.isEmpty())
            in = QByteArray();
    }

    void parse()
    {
        qsizetype pos = 0;
        const auto *b = reinterpret_cast<const quint8 *>(in.constData());
        for (;;) {
            const qsizetype avail = in.size() - pos;
            if (avail < 2)
                break;
            const quint8 b0 = b[pos], b1 = b[pos + 1];
            const bool fin = b0 & 0x80;
            const quint8 opcode = b0 & 0x0f;
            quint64 length = b1 & 0x7f;
            qsizetype header = 2;
            if (length == 126) {
                if (avail < 4)
                    break;
                length = (quint64(b[pos + 2]) << 8) | b[pos + 3];
                header = 4;
            } else if (length == 127) {
                if (avail < 10)
                    break;
                length = 0;
                for (int i = 0; i < 8; ++i)
                    length = (length << 8) | b[pos + 2 + i];
                header = 10;
            }
            if (quint64(avail) < quint64(header) + 4 + length)
                break;
            const quint8 *mask = b + pos + header;
            QByteArray payload(in.constData() + pos + header + 4, qsizetype(length));
            char *p = payload.data();
            for (qsizetype i = 0; i < qsizetype(length); ++i)
                p[i] = char(p[i] ^ mask[i & 3]);
            pos += header + 4 + qsizetype(length);
            if (opcode == 1) {
                messageOpcode = 1;
                message = std::move(payload);
            } else if (opcode == 0) {
                message += payload;
            }
            if (fin && opcode <= 1) {
                const QByteArray m = std::move(message);
                message = QByteArray();
                messageOpcode = 0;
                if (!oldIsValidUtf8(m))
                    std::abort();
                ++delivered;
                bytes += m.size();
            }
            b = reinterpret_cast<const quint8 *>(in.constData());
        }
        in.remove(0, pos);
    }
};

// --- the new path
struct Counter : WsFrameParser::Sink
{
    qint64 delivered = 0, bytes = 0;
    bool onMessage(bool, QByteArray payload) override
    {
        ++delivered;
        bytes += payload.size();
        return true;
    }
    bool onPing(QByteArray) override { return true; }
    bool onPong(QByteArray) override { return true; }
    bool onClose(int, QByteArray) override { return false; }
    void onError(int, const char *) override { std::abort(); }
};

QByteArray frame(int op, const QByteArray &payload, bool fin, quint32 mask)
{
    QByteArray out;
    out += char((fin ? 0x80 : 0) | op);
    const qsizetype n = payload.size();
    if (n < 126) {
        out += char(0x80 | n);
    } else if (n <= 0xffff) {
        out += char(0x80 | 126);
        out += char(n >> 8);
        out += char(n);
    } else {
        out += char(0x80 | 127);
        for (int i = 7; i >= 0; --i)
            out += char(quint64(n) >> (8 * i));
    }
    const char m[4] = {char(mask >> 24), char(mask >> 16), char(mask >> 8), char(mask)};
    out.append(m, 4);
    for (qsizetype i = 0; i < n; ++i)
        out += char(payload[i] ^ m[i & 3]);
    return out;
}

struct Workload
{
    const char *name;
    QByteArray stream;
    qsizetype readSize;
    qint64 messages;
};

double runOld(const Workload &w)
{
    OldParser p(16 << 20);
    QElapsedTimer t;
    t.start();
    for (qsizetype i = 0; i < w.stream.size(); i += w.readSize)
        p.read(w.stream.constData() + i, std::min(w.readSize, w.stream.size() - i));
    const double s = double(t.nsecsElapsed()) / 1e9;
    if (p.delivered != w.messages)
        std::abort();
    return s;
}

double runNew(const Workload &w)
{
    WsFrameParser p(16 << 20);
    Counter c;
    static char buffer[64 * 1024]; // the per-thread read buffer
    QElapsedTimer t;
    t.start();
    for (qsizetype i = 0; i < w.stream.size(); i += w.readSize) {
        const qsizetype n = std::min(w.readSize, w.stream.size() - i);
        std::memcpy(buffer, w.stream.constData() + i, size_t(n)); // what recv() would do
        p.feed(buffer, n, c);
    }
    const double s = double(t.nsecsElapsed()) / 1e9;
    if (c.delivered != w.messages)
        std::abort();
    return s;
}

double median(std::vector<double> v)
{
    std::sort(v.begin(), v.end());
    return v[v.size() / 2];
}

} // namespace

int main()
{
    // A chat send frame as clients write them (Turkish text, ~160 bytes).
    const QByteArray chat = QStringLiteral(
        "{\"type\":\"send\",\"conversation_id\":48213,\"client_msg_id\":\"c-000123\","
        "\"body\":\"Merhaba, yarın saat 10'da gelebilir misiniz? Musluk hâlâ damlıyor.\"}")
                                .toUtf8();
    QByteArray chats;
    for (int i = 0; i < 200000; ++i)
        chats += frame(1, chat, true, 0x9e3779b9u * quint32(i + 1));
    QByteArray big;
    const QByteArray bigPayload(64 * 1024, 'x');
    for (int i = 0; i < 1000; ++i)
        big += frame(1, bigPayload, true, 0x12345678u + quint32(i));
    QByteArray fragmented;
    for (int i = 0; i < 1000; ++i)
        for (qsizetype off = 0; off < bigPayload.size(); off += 1300)
            fragmented += frame(off == 0 ? 1 : 0, bigPayload.mid(off, 1300), off + 1300 >= bigPayload.size(),
                                0xdeadbeefu + quint32(off));
    const Workload loads[] = {
        {"chat frames, 64 KiB reads", chats, 64 * 1024, 200000},
        {"chat frames, 1448-byte reads", chats, 1448, 200000},
        {"64 KiB messages, 64 KiB reads", big, 64 * 1024, 1000},
        {"64 KiB in 1300-byte fragments", fragmented, 64 * 1024, 1000},
    };
    std::printf("%-32s %12s %12s %8s\n", "workload", "old MB/s", "new MB/s", "new/old");
    for (const Workload &w : loads) {
        std::vector<double> o, n;
        for (int r = 0; r < 7; ++r) {
            o.push_back(runOld(w));
            n.push_back(runNew(w));
        }
        const double mb = double(w.stream.size()) / 1e6;
        const double om = mb / median(o), nm = mb / median(n);
        std::printf("%-32s %12.0f %12.0f %7.2fx   (%.2f M msg/s new)\n", w.name, om, nm, nm / om,
                    double(w.messages) / median(n) / 1e6);
    }
    return 0;
}
