#pragma once

#include "ws_frame.h"

#include <string>
#include <string_view>

namespace sanayicin::loadgen::ws {

// Turns a byte stream into WebSocket messages: complete frames are handed out
// as views into the caller's buffer (no copy in the common case); only a
// partial frame at the end of a read, or the pieces of a fragmented message,
// are kept, so an idle connection holds no buffer at all.
class FrameReader
{
public:
    // `expectMasked`: true on a server (client frames must be masked), false on
    // a client (server frames must not be). Messages above `maxMessage` bytes
    // are an error (close 1009).
    FrameReader(bool expectMasked, size_t maxMessage)
        : m_expectMasked(expectMasked), m_maxMessage(maxMessage)
    {}

    // Feeds `len` bytes (which may be unmasked in place). For every complete
    // control frame or data message calls `sink(Opcode, std::string_view)`;
    // data messages come with Text or Binary, whatever fragments they came in.
    // The sink returns false to stop (the connection is going away).
    // Returns false on a protocol error: see closeCode().
    template <class Sink>
    bool consume(char *data, size_t len, Sink &&sink);

    uint16_t closeCode() const { return m_closeCode; }
    bool holdsBytes() const { return !m_partial.empty() || !m_fragments.empty(); }

private:
    // Parses frames in [data, data+len); returns bytes used, or SIZE_MAX on error.
    template <class Sink>
    size_t parse(char *data, size_t len, bool &stopped, Sink &sink);

    bool m_expectMasked;
    size_t m_maxMessage;
    std::string m_partial;   // bytes of a frame not yet complete
    std::string m_fragments; // payload of a fragmented message so far
    Opcode m_fragmentOpcode = Opcode::Text;
    bool m_inFragments = false;
    uint16_t m_closeCode = 0;
};

template <class Sink>
bool FrameReader::consume(char *data, size_t len, Sink &&sink)
{
    bool stopped = false;
    if (m_partial.empty()) {
        const size_t used = parse(data, len, stopped, sink);
        if (used == SIZE_MAX)
            return false;
        if (!stopped && used < len)
            m_partial.assign(data + used, len - used);
        return true;
    }
    m_partial.append(data, len);
    // Parse from a moved-out copy so that the sink may not see m_partial change under it.
    std::string buffer;
    buffer.swap(m_partial);
    const size_t used = parse(buffer.data(), buffer.size(), stopped, sink);
    if (used == SIZE_MAX)
        return false;
    if (!stopped && used < buffer.size()) {
        buffer.erase(0, used);
        m_partial.swap(buffer);
    }
    return true;
}

template <class Sink>
size_t FrameReader::parse(char *data, size_t len, bool &stopped, Sink &sink)
{
    size_t at = 0;
    while (at < len) {
        FrameHeader h;
        const ParseStatus st = parseHeader(data + at, len - at, h);
        if (st == ParseStatus::NeedMore)
            break;
        if (st == ParseStatus::Error || h.masked != m_expectMasked) {
            m_closeCode = 1002;
            return SIZE_MAX;
        }
        if (h.payloadLength > m_maxMessage) {
            m_closeCode = 1009;
            return SIZE_MAX;
        }
        if (len - at - h.headerLength < h.payloadLength)
            break; // the payload is not all here yet
        char *payload = data + at + h.headerLength;
        const auto plen = size_t(h.payloadLength);
        if (h.masked)
            applyMask(payload, plen, h.key);
        at += h.headerLength + plen;
        const std::string_view view(payload, plen);

        if (isControl(h.opcode)) {
            if (!sink(h.opcode, view)) {
                stopped = true;
                return at;
            }
            continue;
        }
        if (h.opcode == Opcode::Continuation) {
            if (!m_inFragments) {
                m_closeCode = 1002;
                return SIZE_MAX;
            }
            if (m_fragments.size() + plen > m_maxMessage) {
                m_closeCode = 1009;
                return SIZE_MAX;
            }
            m_fragments.append(view);
            if (h.fin) {
                m_inFragments = false;
                std::string whole;
                whole.swap(m_fragments);
                if (!sink(m_fragmentOpcode, std::string_view(whole))) {
                    stopped = true;
                    return at;
                }
            }
            continue;
        }
        // Text or Binary: a new message must not start inside a fragmented one.
        if (m_inFragments) {
            m_closeCode = 1002;
            return SIZE_MAX;
        }
        if (!h.fin) {
            m_inFragments = true;
            m_fragmentOpcode = h.opcode;
            m_fragments.assign(view);
            continue;
        }
        if (!sink(h.opcode, view)) {
            stopped = true;
            return at;
        }
    }
    return at;
}

} // namespace sanayicin::loadgen::ws
