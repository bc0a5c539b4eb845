#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QtGlobal>

namespace sanayicin {

// How large one HTTP/1.1 request may be as it arrives.
struct FramingLimits
{
    qsizetype requestLine = 8 * 1024;    // the request line (and empty lines before it)
    qsizetype headerSection = 16 * 1024; // header lines and the blank line ending them
    int headerCount = 100;               // QtHttpServer 6.4 drops every header past 100
    qint64 body = 64 * 1024;             // Content-Length, or a chunked body's data

    // A chunked body may spend at most `body` bytes more on its framing (size
    // lines, extensions, CRLFs) than on data.
    qint64 chunkFraming() const { return body; }
    // The most bytes one request that passes can take on the wire: what a
    // reader must hold before it has the whole request.
    qint64 largestRequest() const;
};

// Follows a stream of HTTP/1.1 requests on one connection, byte by byte as
// they arrive (in any chunking), and decides before anyone buffers them
// whether each request is framed well and within the limits. It keeps no
// request bytes beyond the current line (at most the line limits), does no
// I/O and allocates nothing per body byte.
//
// It is stricter than RFC 9112 allows a server to be lenient, and every
// request it passes is one QtHttpServer 6.4 frames the same way (see
// request_framer.cpp for Qt's parser's quirks this rules out): request line
// `METHOD SP target SP HTTP/1.x`, header lines `name: value` (no obs-fold),
// LF or CRLF line ends, no bare CR, and either no body, a Content-Length
// body, or `Transfer-Encoding: chunked` without trailers.
class RequestFramer
{
public:
    explicit RequestFramer(const FramingLimits &limits) : m_limits(limits) {}

    // Scans the next bytes of the stream. False once the stream is refused
    // (now or before); status() and message() then say why. After an upgrade
    // request (Connection: upgrade, Upgrade: websocket) the rest is not HTTP
    // and passes unseen.
    bool feed(QByteArrayView bytes);

    bool refused() const { return m_status != 0; }
    int status() const { return m_status; } // 400, 413, 414 or 431
    const char *message() const { return m_message; }

    // A request has begun (its first byte other than CR/LF) and not ended.
    bool midRequest() const { return m_state != State::Idle && m_state != State::Upgraded; }
    bool upgraded() const { return m_state == State::Upgraded; }
    qint64 scanned() const { return m_offset; }
    // Stream offset just past the last complete request, and how many.
    qint64 boundary() const { return m_boundary; }
    qint64 completed() const { return m_completed; }

private:
    enum class State {
        Idle,        // between requests: CR/LF may come first
        RequestLine, // m_line holds the line so far
        Headers,     // m_line holds the current header line
        Body,        // m_remaining bytes of a Content-Length body
        ChunkSize,   // m_line holds the chunk-size line
        ChunkData,   // m_remaining bytes of chunk data
        ChunkDataEnd, // the CRLF after chunk data (m_crlfSeen of it)
        LastChunkEnd, // the CRLF after the last chunk (no trailers)
        Upgraded,
    };

    qsizetype step(const char *p, qsizetype n); // consumes some of p; 0 only when refused
    qsizetype takeLine(const char *p, qsizetype n, qsizetype limit, int tooLongStatus,
                       const char *tooLongMessage, bool &complete);
    bool requestLine(QByteArrayView line);
    bool headerLine(QByteArrayView line);
    bool endOfHeaders();
    bool chunkSizeLine(QByteArrayView line);
    void requestDone();
    bool refuse(int status, const char *message);
    void resetRequest();

    FramingLimits m_limits;
    State m_state = State::Idle;
    int m_status = 0;
    const char *m_message = "";

    QByteArray m_line;        // the current line, without its LF
    qsizetype m_sectionBytes = 0; // of the request line or the header section so far
    qint64 m_offset = 0;
    qint64 m_boundary = 0;
    qint64 m_completed = 0;

    // The request being read.
    bool m_http10 = false;
    int m_headers = 0;
    qint64 m_contentLength = -1;
    bool m_chunked = false;
    bool m_hasHost = false;
    int m_upgradeHeaders = 0;
    bool m_upgradeWebSocket = false;
    bool m_connectionUpgrade = false;
    qint64 m_remaining = 0;   // body or chunk bytes still to come
    qint64 m_bodyData = 0;    // chunked: data so far
    qint64 m_bodyFraming = 0; // chunked: framing bytes so far
    int m_crlfSeen = 0;
};

} // namespace sanayicin
