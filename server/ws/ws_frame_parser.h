#pragma once

#include "text/utf8.h"

#include <QByteArray>
#include <QtGlobal>
#include <algorithm>

namespace sanayicin {

// The server side of RFC 6455 framing as a pure state machine: bytes in,
// messages, control frames and at most one failure out, no I/O. Incremental:
// any split of the same byte stream into feed() calls gives the same events.
//
// Every rule is checked as soon as the bytes that break it are in: header
// fields before the rest of the header, the message limit before any payload
// is stored, UTF-8 at each byte of a text message. Lengths are unsigned 64-bit
// and compared with what is left under the limit, never added to, so no
// length can wrap. What stays buffered is at most the current message (never
// more than the limit), one control frame (125 bytes) and a frame header.
class WsFrameParser
{
public:
    // Close codes for a failed connection (RFC 6455 7.4.1).
    static constexpr int kProtocolError = 1002;
    static constexpr int kInvalidPayload = 1007;
    static constexpr int kMessageTooBig = 1009;
    static constexpr int kNoStatus = 1005; // a close frame without a code

    // Receives what the stream says. A call returning false stops feed() at
    // once (the connection is going away); the parser is then unusable.
    class Sink
    {
    public:
        virtual ~Sink() = default;
        virtual bool onMessage(bool text, QByteArray payload) = 0;
        virtual bool onPing(QByteArray payload) = 0;
        virtual bool onPong(QByteArray payload) = 0;
        // A well-formed close frame: its code (kNoStatus when it has none)
        // and its UTF-8 reason. Nothing is parsed after it.
        virtual bool onClose(int code, QByteArray reason) = 0;
        // The stream broke a rule: fail the connection with `code`. Nothing is
        // parsed after it.
        virtual void onError(int code, const char *reason) = 0;
    };

    enum class State { Open, Closed, Failed, Stopped };

    // `messageLimit`: the largest message, in bytes of payload, summed over
    // its fragments (a single frame is a message of one fragment); at most
    // 1 GiB (a QByteArray holds the message).
    explicit WsFrameParser(quint64 messageLimit)
        : m_limit(std::min<quint64>(messageLimit, quint64(1) << 30))
    {}

    // Parses `size` bytes; returns how many were consumed. That is all of
    // them while the state stays Open; after a close frame, a failure or a
    // sink's false the rest is left unread and further calls consume nothing.
    qsizetype feed(const char *data, qsizetype size, Sink &sink);

    State state() const { return m_state; }
    int errorCode() const { return m_errorCode; }
    // Bytes held between calls (for limits, tests and the fuzzer).
    qsizetype bufferedBytes() const { return m_message.size() + m_control.size() + m_headerLength; }
    // A message has begun and not yet ended.
    bool inMessage() const { return m_messageOpcode != 0; }

    // RFC 6455 7.4 and the IANA registry: the codes a close frame may carry.
    static bool isValidCloseCode(int code);

private:
    enum class Step { More, Done, Stop };
    Step takeHeader(const char *&p, const char *end, Sink &sink);
    bool checkFirstBytes(Sink &sink);
    bool checkLength(quint64 length, Sink &sink);
    bool takePayload(const char *p, qsizetype n, Sink &sink);
    bool endFrame(Sink &sink);
    bool endClose(Sink &sink);
    void fail(int code, const char *reason, Sink &sink);

    quint64 m_limit;
    State m_state = State::Open;
    int m_errorCode = 0;

    // The frame being read.
    unsigned char m_header[14];
    quint8 m_headerLength = 0; // bytes of m_header filled
    quint8 m_headerNeed = 2;   // bytes of header known to be needed so far
    quint8 m_headerStage = 0;  // 0: first two bytes, 1: extended length, 2: mask
    bool m_inPayload = false;
    bool m_fin = false;
    quint8 m_opcode = 0;
    quint64 m_remaining = 0; // payload bytes not yet read (checked length at first)
    unsigned char m_mask[4];
    quint8 m_maskPos = 0;

    // The message being assembled (data frames) and a control frame's payload.
    quint8 m_messageOpcode = 0; // 0: between messages
    QByteArray m_message;
    Utf8Validator m_utf8;
    QByteArray m_control;
};

} // namespace sanayicin
