#include "ws_frame_parser.h"

#include <algorithm>
#include <cstring>

namespace sanayicin {

namespace {

enum Opcode : quint8 {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xa,
};

constexpr quint64 kMaxControlPayload = 125;

// dst = src XOR the mask, starting `pos` bytes into it; eight bytes a step.
void unmaskCopy(char *dst, const char *src, qsizetype n, const unsigned char mask[4], quint8 &pos)
{
    unsigned char m[4];
    for (int i = 0; i < 4; ++i)
        m[i] = mask[(pos + i) & 3];
    quint32 m32;
    std::memcpy(&m32, m, 4);
    const quint64 m64 = quint64(m32) | (quint64(m32) << 32); // the same four bytes twice
    qsizetype i = 0;
    for (; i + 8 <= n; i += 8) {
        quint64 w;
        std::memcpy(&w, src + i, 8);
        w ^= m64;
        std::memcpy(dst + i, &w, 8);
    }
    for (; i < n; ++i)
        dst[i] = char(src[i] ^ m[i & 3]);
    pos = quint8((pos + n) & 3);
}

} // namespace

bool WsFrameParser::isValidCloseCode(int code)
{
    // 1004 reserved; 1005, 1006 and 1015 are for reporting, never sent;
    // 1016-2999 unassigned; 3000-4999 registered and private use.
    if (code >= 1000 && code <= 1003)
        return true;
    if (code >= 1007 && code <= 1014)
        return true;
    return code >= 3000 && code <= 4999;
}

qsizetype WsFrameParser::feed(const char *data, qsizetype size, Sink &sink)
{
    const char *p = data;
    const char *const end = data + size;
    while (m_state == State::Open) {
        if (!m_inPayload) {
            const Step s = takeHeader(p, end, sink);
            if (s != Step::Done)
                break;
            m_inPayload = true;
        }
        // m_remaining <= the limit, and what is left of the input is a
        // qsizetype: the smaller of the two fits either.
        const qsizetype take = qsizetype(std::min<quint64>(m_remaining, quint64(end - p)));
        if (take > 0) {
            if (!takePayload(p, take, sink))
                break;
            p += take;
            m_remaining -= quint64(take);
        }
        if (m_remaining > 0)
            break; // the input is used up
        m_inPayload = false;
        m_headerLength = 0;
        m_headerNeed = 2;
        m_headerStage = 0;
        if (!endFrame(sink)) {
            if (m_state == State::Open)
                m_state = State::Stopped;
            break;
        }
    }
    return qsizetype(p - data);
}

WsFrameParser::Step WsFrameParser::takeHeader(const char *&p, const char *end, Sink &sink)
{
    for (;;) {
        const qsizetype want = std::min<qsizetype>(m_headerNeed - m_headerLength, end - p);
        if (want > 0)
            std::memcpy(m_header + m_headerLength, p, size_t(want));
        m_headerLength = quint8(m_headerLength + want);
        p += want;
        if (m_headerLength < m_headerNeed)
            return Step::More;
        switch (m_headerStage) {
        case 0: {
            if (!checkFirstBytes(sink))
                return Step::Stop;
            const quint8 len7 = m_header[1] & 0x7f;
            if (len7 < 126) {
                if (!checkLength(len7, sink))
                    return Step::Stop;
                m_headerNeed = 2 + 4;
                m_headerStage = 2;
            } else {
                m_headerNeed = len7 == 126 ? 2 + 2 : 2 + 8;
                m_headerStage = 1;
            }
            break;
        }
        case 1: {
            quint64 length = 0;
            for (int i = 2; i < m_headerNeed; ++i)
                length = (length << 8) | m_header[i];
            if (m_headerNeed == 10 && (length >> 63) != 0) {
                // RFC 6455 5.2: the most significant bit MUST be 0.
                fail(kProtocolError, "64-bit length with its top bit set", sink);
                return Step::Stop;
            }
            // RFC 6455 5.2: "the minimal number of bytes MUST be used to
            // encode the length" (QtWebSockets refuses longer forms too).
            if (length < (m_headerNeed == 4 ? 126u : 65536u)) {
                fail(kProtocolError, "length not in its shortest form", sink);
                return Step::Stop;
            }
            if (!checkLength(length, sink))
                return Step::Stop;
            m_headerNeed = quint8(m_headerNeed + 4);
            m_headerStage = 2;
            break;
        }
        default:
            std::memcpy(m_mask, m_header + m_headerNeed - 4, 4);
            m_maskPos = 0;
            return Step::Done;
        }
    }
}

bool WsFrameParser::checkFirstBytes(Sink &sink)
{
    const quint8 b0 = m_header[0], b1 = m_header[1];
    m_fin = b0 & 0x80;
    m_opcode = b0 & 0x0f;
    if (b0 & 0x70) {
        fail(kProtocolError, "reserved bits set", sink); // no extension was negotiated
        return false;
    }
    switch (m_opcode) {
    case Continuation:
        if (m_messageOpcode == 0) {
            fail(kProtocolError, "continuation without a message", sink);
            return false;
        }
        break;
    case Text:
    case Binary:
        if (m_messageOpcode != 0) {
            fail(kProtocolError, "new message inside a fragmented one", sink);
            return false;
        }
        break;
    case Close:
    case Ping:
    case Pong:
        if (!m_fin) {
            fail(kProtocolError, "fragmented control frame", sink);
            return false;
        }
        if ((b1 & 0x7f) > kMaxControlPayload) {
            fail(kProtocolError, "control frame over 125 bytes", sink);
            return false;
        }
        break;
    default:
        fail(kProtocolError, "reserved opcode", sink);
        return false;
    }
    if (!(b1 & 0x80)) {
        fail(kProtocolError, "client frames must be masked", sink);
        return false;
    }
    return true;
}

bool WsFrameParser::checkLength(quint64 length, Sink &sink)
{
    if (m_opcode < Close) {
        // What is left under the limit, subtracted (the message so far never
        // exceeds the limit), so nothing can wrap: refused before any of the
        // payload is read.
        const quint64 used = quint64(m_message.size());
        if (length > m_limit - used) {
            fail(kMessageTooBig, "message too big", sink);
            return false;
        }
        if (m_opcode != Continuation) {
            m_messageOpcode = m_opcode;
            m_utf8.reset();
        }
    }
    m_remaining = length; // read once the mask is in
    return true;
}

bool WsFrameParser::takePayload(const char *p, qsizetype n, Sink &sink)
{
    if (m_opcode >= Close) {
        const qsizetype old = m_control.size();
        m_control.resize(old + n);
        unmaskCopy(m_control.data() + old, p, n, m_mask, m_maskPos);
        return true;
    }
    const qsizetype old = m_message.size();
    m_message.resize(old + n);
    char *dst = m_message.data() + old;
    unmaskCopy(dst, p, n, m_mask, m_maskPos);
    if (m_messageOpcode == Text && !m_utf8.feed(QByteArrayView(dst, n))) {
        fail(kInvalidPayload, "text is not UTF-8", sink);
        return false;
    }
    return true;
}

bool WsFrameParser::endFrame(Sink &sink)
{
    switch (m_opcode) {
    case Ping:
        return sink.onPing(std::exchange(m_control, QByteArray()));
    case Pong:
        return sink.onPong(std::exchange(m_control, QByteArray()));
    case Close:
        return endClose(sink);
    default:
        break;
    }
    if (!m_fin)
        return true;
    const bool text = m_messageOpcode == Text;
    if (text && !m_utf8.atBoundary()) {
        fail(kInvalidPayload, "text ends inside a character", sink);
        return false;
    }
    m_messageOpcode = 0;
    return sink.onMessage(text, std::exchange(m_message, QByteArray()));
}

bool WsFrameParser::endClose(Sink &sink)
{
    const QByteArray payload = std::exchange(m_control, QByteArray());
    if (payload.isEmpty()) {
        m_state = State::Closed;
        sink.onClose(kNoStatus, QByteArray());
        return false;
    }
    if (payload.size() == 1) {
        fail(kProtocolError, "close frame with a 1-byte payload", sink);
        return false;
    }
    const int code = (quint8(payload[0]) << 8) | quint8(payload[1]);
    if (!isValidCloseCode(code)) {
        fail(kProtocolError, "invalid close code", sink);
        return false;
    }
    // Not 1007: that code is about a message's data; a malformed close frame
    // is a protocol error (RFC 6455 5.5.1, 7.1.6).
    const QByteArray reason = payload.mid(2);
    if (!isValidUtf8(reason)) {
        fail(kProtocolError, "close reason is not UTF-8", sink);
        return false;
    }
    m_state = State::Closed;
    sink.onClose(code, reason);
    return false;
}

void WsFrameParser::fail(int code, const char *reason, Sink &sink)
{
    m_state = State::Failed;
    m_errorCode = code;
    m_headerLength = 0;
    m_message = QByteArray();
    m_control = QByteArray();
    sink.onError(code, reason);
}

} // namespace sanayicin
