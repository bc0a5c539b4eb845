#pragma once

#include "stream_frame.h"

#include <QByteArrayView>
#include <optional>

namespace sanayicin::console {

// Reads one text message of the admin stream into a StreamFrame, or refuses
// it. The server (or a proxy in between) is not trusted: anything that is
// not the protocol's frame, with its fields of the right type and within
// the bounds below, is refused whole, so that nothing half-read reaches the
// models. Pure: no I/O, no clock, no state.
class StreamFrameParser
{
public:
    // Larger than any frame the protocol makes (a tick of every instance, a
    // batch of 500 connections); the socket refuses longer messages too.
    static constexpr qsizetype kMaxFrameBytes = 4 * 1024 * 1024;
    static constexpr qsizetype kMaxInstances = 1000;
    // Opened or closed connections in one frame, each.
    static constexpr qsizetype kMaxConnectionEvents = 10000;
    // Ids, states, stream ids, instance names, error codes.
    static constexpr qsizetype kMaxNameChars = 256;
    static constexpr qsizetype kMaxMessageChars = 1000;
    // Integers are JSON numbers: exact up to 2^53 - 1.
    static constexpr qint64 kMaxInteger = (qint64(1) << 53) - 1;
    static constexpr int kMaxHeartbeatS = 86400;

    // `error` (when given) says why a frame was refused, for the log; it
    // never repeats the frame's content.
    static std::optional<StreamFrame> parse(QByteArrayView text, QString *error = nullptr);
};

// Follows the frames' `seq` on one stream: which frames to apply, which are
// repeats, and when one was missed. Remembers the stream and the last
// applied seq across reconnections, for the resume.
class StreamCursor
{
public:
    enum Verdict {
        Apply,
        Duplicate, // seq already applied: ignore it
        Gap,       // a frame was missed: reconnect and resume
        Violation, // not the protocol's order (no welcome first, a second one)
    };

    // A frame of the current connection, in the order it arrived.
    Verdict accept(const StreamFrame &frame);
    // The connection ended; the stream and seq stay for the resume.
    void disconnected() { m_welcomed = false; }
    // Starts over: the next welcome is a new stream.
    void forget();

    bool welcomed() const { return m_welcomed; }
    bool canResume() const { return !m_stream.isEmpty(); }
    QString stream() const { return m_stream; }
    qint64 lastSeq() const { return m_last; }

private:
    QString m_stream;
    qint64 m_last = 0;
    bool m_welcomed = false;
};

} // namespace sanayicin::console
