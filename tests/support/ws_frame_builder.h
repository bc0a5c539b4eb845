#pragma once

#include <QByteArray>
#include <QtGlobal>

namespace sanayicin::test {

// Client frames byte by byte, for tests that must send what no WebSocket
// library would: any length in any length form, unmasked frames, reserved
// bits, headers without their payload.
struct WsFrameSpec
{
    int opcode = 1;
    bool fin = true;
    bool masked = true;
    int rsv = 0;        // the three reserved bits, 0-7
    int lengthForm = 0; // 0 the shortest, 7, 16 or 64 bits (a length that does not fit is cut)
    // The length the header announces, when it is not the payload's size.
    qint64 announced = -1;
    quint64 announcedU64 = 0; // used when announced == -2 (any 64-bit value)
    quint32 mask = 0x37fa213d;
};

inline QByteArray wsFrameHeader(const WsFrameSpec &s, quint64 length)
{
    QByteArray out;
    out += char((s.fin ? 0x80 : 0) | ((s.rsv & 7) << 4) | (s.opcode & 0x0f));
    int form = s.lengthForm;
    if (form == 0)
        form = length < 126 ? 7 : length <= 0xffff ? 16 : 64;
    const char maskBit = s.masked ? char(0x80) : char(0);
    if (form == 7) {
        out += char(maskBit | char(length & 0x7f));
    } else if (form == 16) {
        out += char(maskBit | 126);
        out += char((length >> 8) & 0xff);
        out += char(length & 0xff);
    } else {
        out += char(maskBit | 127);
        for (int i = 7; i >= 0; --i)
            out += char((length >> (8 * i)) & 0xff);
    }
    if (s.masked)
        for (int i = 3; i >= 0; --i)
            out += char((s.mask >> (8 * i)) & 0xff);
    return out;
}

inline QByteArray wsFrame(const WsFrameSpec &s, const QByteArray &payload)
{
    const quint64 length = s.announced == -2 ? s.announcedU64
                           : s.announced >= 0 ? quint64(s.announced)
                                              : quint64(payload.size());
    QByteArray out = wsFrameHeader(s, length);
    const qsizetype start = out.size();
    out += payload;
    if (s.masked) {
        const char m[4] = {char(s.mask >> 24), char(s.mask >> 16), char(s.mask >> 8), char(s.mask)};
        for (qsizetype i = 0; i < payload.size(); ++i)
            out[start + i] = char(out[start + i] ^ m[i & 3]);
    }
    return out;
}

inline QByteArray wsFrame(int opcode, const QByteArray &payload, bool fin = true)
{
    WsFrameSpec s;
    s.opcode = opcode;
    s.fin = fin;
    return wsFrame(s, payload);
}

inline QByteArray wsClosePayload(int code, const QByteArray &reason = {})
{
    QByteArray p;
    p += char((code >> 8) & 0xff);
    p += char(code & 0xff);
    return p + reason;
}

} // namespace sanayicin::test
