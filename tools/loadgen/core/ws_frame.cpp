#include "ws_frame.h"

#include <cstring>

namespace sanayicin::loadgen::ws {

void applyMask(char *data, size_t len, uint32_t key, size_t keyOffset)
{
    unsigned char k[4] = {uint8_t(key >> 24), uint8_t(key >> 16), uint8_t(key >> 8), uint8_t(key)};
    size_t i = 0;
    // Byte by byte until the key lines up with position 0, then 8 at a time:
    // masking is the one per-byte cost of every frame the generator sends.
    while (i < len && ((keyOffset + i) & 3) != 0) {
        data[i] = char(uint8_t(data[i]) ^ k[(keyOffset + i) & 3]);
        ++i;
    }
    uint64_t wide = 0;
    unsigned char pattern[8] = {k[0], k[1], k[2], k[3], k[0], k[1], k[2], k[3]};
    std::memcpy(&wide, pattern, 8);
    for (; i + 8 <= len; i += 8) {
        uint64_t chunk;
        std::memcpy(&chunk, data + i, 8); // memcpy: no alignment assumptions
        chunk ^= wide;
        std::memcpy(data + i, &chunk, 8);
    }
    for (; i < len; ++i)
        data[i] = char(uint8_t(data[i]) ^ k[(keyOffset + i) & 3]);
}

size_t appendHeader(std::string &out, Opcode op, uint64_t payloadLength, bool masked, uint32_t key)
{
    unsigned char h[14];
    size_t n = 0;
    h[n++] = uint8_t(0x80 | uint8_t(op));
    const uint8_t maskBit = masked ? 0x80 : 0;
    if (payloadLength < 126) {
        h[n++] = uint8_t(maskBit | payloadLength);
    } else if (payloadLength <= 0xFFFF) {
        h[n++] = uint8_t(maskBit | 126);
        h[n++] = uint8_t(payloadLength >> 8);
        h[n++] = uint8_t(payloadLength);
    } else {
        h[n++] = uint8_t(maskBit | 127);
        for (int s = 56; s >= 0; s -= 8)
            h[n++] = uint8_t(payloadLength >> s);
    }
    if (masked) {
        h[n++] = uint8_t(key >> 24);
        h[n++] = uint8_t(key >> 16);
        h[n++] = uint8_t(key >> 8);
        h[n++] = uint8_t(key);
    }
    out.append(reinterpret_cast<const char *>(h), n);
    return n;
}

void appendFrame(std::string &out, Opcode op, std::string_view payload, bool masked, uint32_t key)
{
    appendHeader(out, op, payload.size(), masked, key);
    const size_t at = out.size();
    out.append(payload);
    if (masked)
        applyMask(out.data() + at, payload.size(), key);
}

std::string closePayload(uint16_t code, std::string_view reason)
{
    std::string p;
    p.push_back(char(code >> 8));
    p.push_back(char(code & 0xFF));
    p.append(reason.substr(0, 123)); // control payloads are at most 125 bytes
    return p;
}

uint16_t closeCodeOf(std::string_view payload)
{
    if (payload.size() < 2)
        return 1005;
    return uint16_t((uint8_t(payload[0]) << 8) | uint8_t(payload[1]));
}

ParseStatus parseHeader(const char *data, size_t len, FrameHeader &out)
{
    if (len < 2)
        return ParseStatus::NeedMore;
    const auto b0 = uint8_t(data[0]);
    const auto b1 = uint8_t(data[1]);
    if (b0 & 0x70)
        return ParseStatus::Error; // RSV bits: no extension was negotiated
    out.fin = (b0 & 0x80) != 0;
    out.opcode = Opcode(b0 & 0x0F);
    switch (out.opcode) {
    case Opcode::Continuation:
    case Opcode::Text:
    case Opcode::Binary:
    case Opcode::Close:
    case Opcode::Ping:
    case Opcode::Pong:
        break;
    default:
        return ParseStatus::Error;
    }
    out.masked = (b1 & 0x80) != 0;
    uint64_t length = b1 & 0x7F;
    size_t n = 2;
    if (length == 126) {
        if (len < 4)
            return ParseStatus::NeedMore;
        length = (uint64_t(uint8_t(data[2])) << 8) | uint8_t(data[3]);
        n = 4;
    } else if (length == 127) {
        if (len < 10)
            return ParseStatus::NeedMore;
        length = 0;
        for (int i = 0; i < 8; ++i)
            length = (length << 8) | uint8_t(data[2 + i]);
        if (length >> 63)
            return ParseStatus::Error;
        n = 10;
    }
    if (isControl(out.opcode) && (length > 125 || !out.fin))
        return ParseStatus::Error;
    if (out.masked) {
        if (len < n + 4)
            return ParseStatus::NeedMore;
        out.key = (uint32_t(uint8_t(data[n])) << 24) | (uint32_t(uint8_t(data[n + 1])) << 16)
                  | (uint32_t(uint8_t(data[n + 2])) << 8) | uint32_t(uint8_t(data[n + 3]));
        n += 4;
    } else {
        out.key = 0;
    }
    out.payloadLength = length;
    out.headerLength = n;
    return ParseStatus::Ok;
}

} // namespace sanayicin::loadgen::ws
