// WsFrameParser on any byte stream in any chunking. The input is
//   [limit: 2 bytes][n: 1 byte][n chunk sizes: 1 byte each][stream]
// and the stream is fed whole, in the chunks the input names (cycled), and
// byte by byte. Checked:
// - every chunking gives the same events and consumes the same bytes;
// - a whole-buffer reference parser written here agrees;
// - never more buffered than limit + a header + a control frame;
// - no message longer than the limit, text always valid UTF-8 (by Qt's
//   decoder, independent of ours), close codes always valid;
// - nothing after a failure or a close, and at most one of them.

#include "text/utf8.h"
#include "ws/ws_frame_parser.h"

#include <QString>
#include <QStringList>
#include <cstdint>
#include <cstdio>
#include <cstring>

using sanayicin::Utf8Validator;
using sanayicin::WsFrameParser;

namespace {

[[noreturn]] void failAt(int line)
{
    std::fprintf(stderr, "fuzz_ws_frames: check failed at line %d\n", line);
    __builtin_trap();
}
#define fail() failAt(__LINE__)

class Checker : public WsFrameParser::Sink
{
public:
    explicit Checker(quint64 limit) : m_limit(limit) {}
    QStringList events;
    bool ended = false;

    bool onMessage(bool text, QByteArray payload) override
    {
        if (ended || quint64(payload.size()) > m_limit)
            fail();
        if (text && QString::fromUtf8(payload).toUtf8() != payload)
            fail();
        events << QString::number(text ? 1 : 2) + QLatin1Char(':') + QString::fromLatin1(payload.toHex());
        return true;
    }
    bool onPing(QByteArray payload) override { return control(9, payload); }
    bool onPong(QByteArray payload) override { return control(10, payload); }
    bool onClose(int code, QByteArray reason) override
    {
        if (ended || !(code == WsFrameParser::kNoStatus || WsFrameParser::isValidCloseCode(code)))
            fail();
        if (QString::fromUtf8(reason).toUtf8() != reason || reason.size() > 123)
            fail();
        ended = true;
        events << QStringLiteral("close:%1:").arg(code) + QString::fromLatin1(reason.toHex());
        return true;
    }
    void onError(int code, const char *) override
    {
        if (ended)
            fail();
        ended = true;
        events << QStringLiteral("error:%1").arg(code);
    }

private:
    bool control(int op, const QByteArray &payload)
    {
        if (ended || payload.size() > 125)
            fail();
        events << QString::number(op) + QLatin1Char(':') + QString::fromLatin1(payload.toHex());
        return true;
    }
    quint64 m_limit;
};

struct Outcome
{
    QStringList events;
    qsizetype consumed = 0;
    bool failed = false;
    // Where in the last chunk a failure is noticed depends on the chunk (a
    // piece of text is checked as a whole), so bytes consumed are compared
    // only when the stream did not fail.
    bool operator==(const Outcome &o) const
    {
        return events == o.events && failed == o.failed && (failed || consumed == o.consumed);
    }
};

Outcome runChunked(const QByteArray &stream, quint64 limit, const QList<int> &sizes)
{
    WsFrameParser parser(limit);
    Checker sink(limit);
    Outcome out;
    qsizetype pos = 0;
    int i = 0;
    while (pos < stream.size()) {
        const qsizetype n = std::min<qsizetype>(sizes.isEmpty() ? stream.size() : sizes[i++ % sizes.size()],
                                                stream.size() - pos);
        const qsizetype used = parser.feed(stream.constData() + pos, n, sink);
        if (used < 0 || used > n)
            fail();
        if (parser.state() == WsFrameParser::State::Open && used != n)
            fail(); // an open parser takes everything
        if (parser.bufferedBytes() > qsizetype(std::min<quint64>(limit, quint64(1) << 30)) + 14 + 125)
            fail();
        out.consumed += used;
        pos += n;
    }
    if (parser.state() == WsFrameParser::State::Failed && parser.errorCode() == 0)
        fail();
    out.events = sink.events;
    out.failed = parser.state() == WsFrameParser::State::Failed;
    return out;
}

// The reference: the whole buffer at once, frame after frame, with each rule
// written the plain way. A frame cut short by the end of the buffer is
// checked as far as its bytes go (the parser fails fast too).
Outcome reference(const QByteArray &s, quint64 limit)
{
    Outcome out;
    const auto *b = reinterpret_cast<const unsigned char *>(s.constData());
    const qsizetype n = s.size();
    qsizetype pos = 0;
    int messageOp = 0;
    QByteArray message;
    Utf8Validator utf8;
    auto error = [&](int code) {
        out.events << QStringLiteral("error:%1").arg(code);
        return out;
    };
    while (pos < n) {
        if (pos + 1 >= n)
            break; // the parser looks at the first two bytes together
        const int b0 = b[pos];
        const bool fin = b0 & 0x80;
        const int op = b0 & 0x0f;
        if (b0 & 0x70)
            return error(1002);
        const bool control = op >= 8;
        if (op == 0 && messageOp == 0)
            return error(1002);
        if ((op == 1 || op == 2) && messageOp != 0)
            return error(1002);
        if (!(op <= 2 || op == 8 || op == 9 || op == 10))
            return error(1002);
        const int b1 = b[pos + 1];
        if (control && (!fin || (b1 & 0x7f) > 125))
            return error(1002);
        if (!(b1 & 0x80))
            return error(1002);
        qsizetype hl = 2;
        quint64 len = b1 & 0x7f;
        if (len == 126) {
            if (pos + 4 > n)
                break;
            len = quint64(b[pos + 2]) << 8 | b[pos + 3];
            if (len < 126)
                return error(1002);
            hl = 4;
        } else if (len == 127) {
            if (pos + 10 > n)
                break;
            len = 0;
            for (int i = 0; i < 8; ++i)
                len = len << 8 | b[pos + 2 + i];
            if (len >= (quint64(1) << 63) || len < 65536)
                return error(1002);
            hl = 10;
        }
        const quint64 effectiveLimit = std::min<quint64>(limit, quint64(1) << 30);
        if (!control && quint64(message.size()) + len > effectiveLimit) // no wrap: len < 2^63, size < 2^30
            return error(1009);
        if (!control && op != 0) {
            messageOp = op;
            utf8.reset();
        }
        if (pos + hl + 4 > n)
            break;
        const unsigned char *mask = b + pos + hl;
        const qsizetype start = pos + hl + 4;
        const qsizetype have = qsizetype(std::min<quint64>(len, quint64(n - start)));
        QByteArray payload(have, Qt::Uninitialized);
        for (qsizetype i = 0; i < have; ++i)
            payload[i] = char(b[start + i] ^ mask[i & 3]);
        if (!control && messageOp == 1 && !utf8.feed(payload))
            return error(1007);
        if (quint64(have) < len)
            break;
        pos = start + have;
        if (control) {
            if (op == 9 || op == 10) {
                out.events << QString::number(op) + QLatin1Char(':') + QString::fromLatin1(payload.toHex());
                continue;
            }
            if (payload.size() == 1)
                return error(1002);
            int code = 1005;
            if (payload.size() >= 2) {
                code = quint8(payload[0]) << 8 | quint8(payload[1]);
                const bool valid = (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014)
                                   || (code >= 3000 && code <= 4999);
                if (!valid || !sanayicin::isValidUtf8(payload.mid(2)))
                    return error(1002);
            }
            out.events << QStringLiteral("close:%1:").arg(code) + QString::fromLatin1(payload.mid(2).toHex());
            return out;
        }
        message += payload;
        if (fin) {
            if (messageOp == 1 && !utf8.atBoundary())
                return error(1007);
            out.events << QString::number(messageOp) + QLatin1Char(':') + QString::fromLatin1(message.toHex());
            message.clear();
            messageOp = 0;
        }
    }
    return out;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    // Small limits reach the limit paths; 0xffff means "far above anything".
    const quint16 l16 = quint16(data[0] << 8 | data[1]);
    const quint64 limit = l16 == 0xffff ? (quint64(1) << 40) : l16;
    const size_t nChunks = std::min<size_t>(data[2], 32);
    if (size < 3 + nChunks)
        return 0;
    QList<int> sizes;
    for (size_t i = 0; i < nChunks; ++i)
        sizes << 1 + data[3 + i];
    const QByteArray stream(reinterpret_cast<const char *>(data) + 3 + nChunks,
                            qsizetype(size - 3 - nChunks));

    const Outcome whole = runChunked(stream, limit, {});
    if (!(runChunked(stream, limit, sizes) == whole))
        fail();
    if (stream.size() <= 4096 && !(runChunked(stream, limit, {1}) == whole))
        fail();
    // The reference does not count consumed bytes; compare the events.
    if (reference(stream, limit).events != whole.events)
        fail();
    return 0;
}
