#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

namespace sanayicin::loadgen::ws {

// RFC 6455 framing, both directions: the generator masks what it sends and
// reads unmasked frames; the echo server does the opposite.
enum class Opcode : uint8_t {
    Continuation = 0x0,
    Text = 0x1,
    Binary = 0x2,
    Close = 0x8,
    Ping = 0x9,
    Pong = 0xA,
};

inline bool isControl(Opcode op)
{
    return (uint8_t(op) & 0x8) != 0;
}

// XORs `len` bytes with the 4-byte key (network order as on the wire),
// starting at key position `keyOffset` (for payloads unmasked piecewise).
void applyMask(char *data, size_t len, uint32_t key, size_t keyOffset = 0);

// Appends one complete frame (FIN set) carrying `payload`; masked with `key`
// when `masked` (every client-to-server frame must be).
void appendFrame(std::string &out, Opcode op, std::string_view payload, bool masked,
                 uint32_t key);

// Appends the frame header alone, for callers that write the payload
// themselves (and mask it with applyMask): returns the header length.
size_t appendHeader(std::string &out, Opcode op, uint64_t payloadLength, bool masked,
                    uint32_t key);

// A close frame's payload: the code (big-endian) and an optional reason.
std::string closePayload(uint16_t code, std::string_view reason = {});
// The code of a close payload: 1005 ("no status") when it carries none.
uint16_t closeCodeOf(std::string_view payload);

struct FrameHeader
{
    Opcode opcode = Opcode::Text;
    bool fin = false;
    bool masked = false;
    uint32_t key = 0;
    uint64_t payloadLength = 0;
    size_t headerLength = 0;
};

enum class ParseStatus { NeedMore, Ok, Error };

// Reads a frame header from the first `len` bytes of `data`.
ParseStatus parseHeader(const char *data, size_t len, FrameHeader &out);

} // namespace sanayicin::loadgen::ws
