#include "request_framer.h"

#include "text/ascii.h"

#include <algorithm>
#include <cstring>
#include <limits>

// Why stricter than RFC 9112 allows: QtHttpServer 6.4 parses requests with
// quirks, and a request that our framer and Qt frame differently could
// smuggle a second request past every check. Qt 6.4.2
// (qhttpserverrequest.cpp, qhttpheaderparser.cpp):
// - ignores a failed header parse (more than 100 fields, a field line over
//   8 KiB, a name that is not a token, obs-fold trouble) and goes on with no
//   headers at all, so Content-Length would be ignored: we refuse those;
// - reads Content-Length with toULongLong, so "1, 1", "+1" or a value past
//   2^63 means no body: we accept digits only, one value;
// - treats any Transfer-Encoding containing "chunked" as chunked, and uses
//   it over Content-Length: we accept exactly "chunked", never with
//   Content-Length;
// - takes an unparsable chunk size as 0 (the last chunk), ignores what
//   follows chunk data, and ends at the two bytes after the last chunk
//   whatever they are (trailers become the next request): we require hex
//   sizes, CRLF after every line and after data, and no trailers;
// - accepts LF alone as a line end, so a bare CR could hide a line break
//   from one reader: we refuse CR anywhere but before LF.

namespace sanayicin {

namespace {

constexpr qsizetype kMaxFieldLine = 8192; // Qt's MAX_HEADER_FIELD_SIZE
constexpr qsizetype kMaxChunkLine = 1024;
constexpr qint64 kHuge = std::numeric_limits<qint64>::max();

bool isTchar(char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'))
        return true;
    return std::strchr("!#$%&'*+-.^_`|~", c) != nullptr && c != '\0';
}

bool isToken(QByteArrayView s)
{
    return !s.isEmpty() && std::all_of(s.begin(), s.end(), isTchar);
}


// Field values: visible characters, obs-text, space and tab.
bool isFieldText(QByteArrayView s)
{
    for (char ch : s) {
        const auto c = static_cast<unsigned char>(ch);
        if ((c < 0x20 && c != '\t') || c == 0x7f)
            return false;
    }
    return true;
}

QByteArrayView trimOws(QByteArrayView s)
{
    while (!s.isEmpty() && (s.front() == ' ' || s.front() == '\t'))
        s = s.sliced(1);
    while (!s.isEmpty() && (s.back() == ' ' || s.back() == '\t'))
        s.chop(1);
    return s;
}

bool equalsLower(QByteArrayView s, QByteArrayView lower)
{
    if (s.size() != lower.size())
        return false;
    for (qsizetype i = 0; i < s.size(); ++i)
        if ((s[i] >= 'A' && s[i] <= 'Z' ? char(s[i] | 0x20) : s[i]) != lower[i])
            return false;
    return true;
}

bool containsLower(QByteArrayView s, QByteArrayView lower)
{
    for (qsizetype i = 0; i + lower.size() <= s.size(); ++i)
        if (equalsLower(s.sliced(i, lower.size()), lower))
            return true;
    return false;
}

// origin-form, absolute-form or "*"; visible ASCII, no fragment, and every
// '%' starts a valid escape (QUrl would silently re-encode a broken one,
// and with it every other escape of the query).
bool isRequestTarget(QByteArrayView t)
{
    if (t.isEmpty())
        return false;
    if (t == "*")
        return true;
    const bool origin = t.front() == '/';
    const bool absolute = (t.size() > 7 && equalsLower(t.first(7), "http://"))
                          || (t.size() > 8 && equalsLower(t.first(8), "https://"));
    if (!origin && !absolute)
        return false;
    for (qsizetype i = 0; i < t.size(); ++i) {
        const auto c = static_cast<unsigned char>(t[i]);
        if (c <= 0x20 || c >= 0x7f || c == '#')
            return false;
        if (c == '%') {
            if (i + 2 >= t.size() || hexDigitValue(t[i + 1]) < 0 || hexDigitValue(t[i + 2]) < 0)
                return false;
            i += 2;
        }
    }
    return true;
}

// reg-name, IP literal or IPv4 address, with an optional port.
bool isHostValue(QByteArrayView h)
{
    for (char c : h) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || std::strchr("-._~!$&'()*+,;=:[]%", c) != nullptr;
        if (!ok || c == '\0')
            return false;
    }
    return true;
}

// Digits only; past 18 significant digits the value is "huge".
bool parseLength(QByteArrayView s, qint64 &out)
{
    if (s.isEmpty())
        return false;
    qint64 v = 0;
    int significant = 0;
    for (char c : s) {
        if (c < '0' || c > '9')
            return false;
        if (v == 0 && c == '0')
            continue;
        if (++significant > 18)
            v = kHuge;
        else
            v = v * 10 + (c - '0');
    }
    out = v;
    return true;
}

} // namespace

qint64 FramingLimits::largestRequest() const
{
    // Request line, headers, and the longest body: a chunked one with its
    // framing allowance and the last chunk ("0\r\n\r\n").
    return qint64(requestLine) + qint64(headerSection) + body + chunkFraming() + 5;
}

bool RequestFramer::feed(QByteArrayView bytes)
{
    if (refused())
        return false;
    const char *p = bytes.data();
    qsizetype n = bytes.size();
    while (n > 0) {
        if (m_state == State::Upgraded) {
            m_offset += n;
            return true;
        }
        const qsizetype used = step(p, n);
        if (refused())
            return false;
        p += used;
        n -= used;
        m_offset += used;
    }
    return true;
}

bool RequestFramer::refuse(int status, const char *message)
{
    m_status = status;
    m_message = message;
    m_line = QByteArray();
    return false;
}

void RequestFramer::resetRequest()
{
    m_http10 = false;
    m_headers = 0;
    m_contentLength = -1;
    m_chunked = false;
    m_hasHost = false;
    m_upgradeHeaders = 0;
    m_upgradeWebSocket = false;
    m_connectionUpgrade = false;
    m_remaining = 0;
    m_bodyData = 0;
    m_bodyFraming = 0;
    m_crlfSeen = 0;
    m_sectionBytes = 0;
}

void RequestFramer::requestDone()
{
    ++m_completed;
    const bool upgrade = m_connectionUpgrade && m_upgradeHeaders == 1 && m_upgradeWebSocket;
    m_state = upgrade ? State::Upgraded : State::Idle;
    resetRequest();
    // An idle keep-alive connection keeps no line buffer.
    m_line = QByteArray();
}

// Collects bytes up to the next LF into m_line (the LF is not kept) as long
// as the section stays within `sectionLimit`. Returns the bytes taken;
// `complete` says whether the LF was among them.
qsizetype RequestFramer::takeLine(const char *p, qsizetype n, qsizetype sectionLimit,
                                  int tooLongStatus, const char *tooLongMessage, bool &complete)
{
    complete = false;
    // One byte past the room is enough to see that the section is too long.
    const qsizetype room = std::max<qsizetype>(0, sectionLimit - m_sectionBytes);
    const qsizetype scan = std::min(n, room + 1);
    const void *lf = std::memchr(p, '\n', size_t(scan));
    const qsizetype take = lf ? static_cast<const char *>(lf) - p + 1 : scan;
    m_sectionBytes += take;
    if (m_sectionBytes > sectionLimit) {
        refuse(tooLongStatus, tooLongMessage);
        return 0;
    }
    m_line.append(p, lf ? take - 1 : take);
    complete = lf != nullptr;
    return take;
}

qsizetype RequestFramer::step(const char *p, qsizetype n)
{
    switch (m_state) {
    case State::Idle: {
        // Empty lines before a request are skipped (RFC 9112, 2.2), within
        // the request line's allowance.
        qsizetype i = 0;
        while (i < n && (p[i] == '\r' || p[i] == '\n'))
            ++i;
        m_sectionBytes += i;
        if (m_sectionBytes > m_limits.requestLine) {
            refuse(414, "the request line is too long");
            return 0;
        }
        if (i < n)
            m_state = State::RequestLine;
        return i;
    }
    case State::RequestLine: {
        bool complete = false;
        const qsizetype used = takeLine(p, n, m_limits.requestLine, 414,
                                        "the request line is too long", complete);
        if (complete) {
            QByteArrayView line(m_line);
            if (line.endsWith('\r'))
                line.chop(1);
            if (!requestLine(line))
                return 0;
            m_line.truncate(0);
            m_sectionBytes = 0;
            m_state = State::Headers;
        }
        return used;
    }
    case State::Headers: {
        bool complete = false;
        const qsizetype used = takeLine(p, n, m_limits.headerSection, 431,
                                        "the request headers are too large", complete);
        if (refused())
            return 0;
        // One line over Qt's limit would make it drop every header.
        if (m_line.size() - (m_line.endsWith('\r') ? 1 : 0) > kMaxFieldLine) {
            refuse(431, "a request header line is too long");
            return 0;
        }
        if (complete) {
            QByteArrayView line(m_line);
            if (line.endsWith('\r'))
                line.chop(1);
            if (line.isEmpty()) {
                m_line.truncate(0);
                if (!endOfHeaders())
                    return 0;
                // endOfHeaders() may have ended the request; its offset is
                // the end of this line.
                if (m_state == State::Idle || m_state == State::Upgraded)
                    m_boundary = m_offset + used;
                return used;
            }
            if (!headerLine(line))
                return 0;
            m_line.truncate(0);
        }
        return used;
    }
    case State::Body: {
        const qsizetype take = qsizetype(std::min<qint64>(n, m_remaining));
        m_remaining -= take;
        if (m_remaining == 0) {
            requestDone();
            m_boundary = m_offset + take;
        }
        return take;
    }
    case State::ChunkSize: {
        // The size line is framing: it must fit both kMaxChunkLine and what
        // is left of the framing allowance; the smaller one decides, so the
        // verdict does not depend on how the bytes arrive.
        const qint64 framingRoom = m_limits.chunkFraming() - m_bodyFraming;
        const qint64 lineRoom = kMaxChunkLine + 2 - m_sectionBytes;
        const bool framingFirst = framingRoom < lineRoom;
        const qsizetype limit = m_sectionBytes + qsizetype(std::min(framingRoom, lineRoom));
        const qsizetype before = m_sectionBytes;
        bool complete = false;
        const qsizetype used =
            takeLine(p, n, limit, framingFirst ? 413 : 400,
                     framingFirst ? "the chunked body has too much framing"
                                  : "a chunk size line is too long",
                     complete);
        if (refused())
            return 0;
        m_bodyFraming += m_sectionBytes - before;
        if (complete) {
            if (!chunkSizeLine(QByteArrayView(m_line)))
                return 0;
            m_line.truncate(0);
            m_sectionBytes = 0;
        }
        return used;
    }
    case State::ChunkData: {
        const qsizetype take = qsizetype(std::min<qint64>(n, m_remaining));
        m_remaining -= take;
        if (m_remaining == 0) {
            m_state = State::ChunkDataEnd;
            m_crlfSeen = 0;
        }
        return take;
    }
    case State::ChunkDataEnd:
    case State::LastChunkEnd: {
        const char want = m_crlfSeen == 0 ? '\r' : '\n';
        if (p[0] != want) {
            refuse(400, m_state == State::LastChunkEnd
                            ? "chunked trailers are not supported"
                            : "chunk data must end with CRLF");
            return 0;
        }
        if (++m_bodyFraming > m_limits.chunkFraming()) {
            refuse(413, "the chunked body has too much framing");
            return 0;
        }
        if (++m_crlfSeen == 2) {
            if (m_state == State::LastChunkEnd) {
                requestDone();
                m_boundary = m_offset + 1;
            } else {
                m_state = State::ChunkSize;
                m_sectionBytes = 0;
            }
        }
        return 1;
    }
    case State::Upgraded:
        return n;
    }
    return n;
}

bool RequestFramer::requestLine(QByteArrayView line)
{
    if (line.contains('\r'))
        return refuse(400, "a bare CR in the request line");
    const qsizetype sp1 = line.indexOf(' ');
    const qsizetype sp2 = sp1 < 0 ? -1 : line.indexOf(' ', sp1 + 1);
    if (sp1 <= 0 || sp2 < 0 || line.indexOf(' ', sp2 + 1) >= 0)
        return refuse(400, "malformed request line");
    const QByteArrayView method = line.first(sp1);
    const QByteArrayView target = line.sliced(sp1 + 1, sp2 - sp1 - 1);
    const QByteArrayView version = line.sliced(sp2 + 1);
    if (!isToken(method))
        return refuse(400, "malformed request method");
    if (!isRequestTarget(target))
        return refuse(400, "malformed request target");
    if (version == "HTTP/1.1")
        m_http10 = false;
    else if (version == "HTTP/1.0")
        m_http10 = true;
    else
        return refuse(400, "only HTTP/1.1 and HTTP/1.0 are supported");
    return true;
}

bool RequestFramer::headerLine(QByteArrayView line)
{
    if (line.contains('\r'))
        return refuse(400, "a bare CR in a header line");
    if (line.front() == ' ' || line.front() == '\t')
        return refuse(400, "folded header lines are not supported");
    const qsizetype colon = line.indexOf(':');
    if (colon <= 0 || !isToken(line.first(colon)))
        return refuse(400, "malformed header line");
    const QByteArrayView name = line.first(colon);
    const QByteArrayView value = trimOws(line.sliced(colon + 1));
    if (!isFieldText(value))
        return refuse(400, "a control character in a header value");
    if (++m_headers > m_limits.headerCount)
        return refuse(431, "too many request header lines");

    if (equalsLower(name, "content-length")) {
        qint64 length = 0;
        if (!parseLength(value, length))
            return refuse(400, "malformed Content-Length");
        if (m_contentLength >= 0 && length != m_contentLength)
            return refuse(400, "conflicting Content-Length values");
        m_contentLength = length;
    } else if (equalsLower(name, "transfer-encoding")) {
        if (m_chunked || !equalsLower(value, "chunked"))
            return refuse(400, "the only Transfer-Encoding supported is chunked");
        m_chunked = true;
    } else if (equalsLower(name, "host")) {
        if (m_hasHost)
            return refuse(400, "more than one Host header");
        if (!isHostValue(value))
            return refuse(400, "malformed Host header");
        m_hasHost = true;
    } else if (equalsLower(name, "upgrade")) {
        ++m_upgradeHeaders;
        m_upgradeWebSocket = equalsLower(value, "websocket");
    } else if (equalsLower(name, "connection")) {
        if (containsLower(value, "upgrade"))
            m_connectionUpgrade = true;
    }
    return true;
}

bool RequestFramer::endOfHeaders()
{
    if (m_chunked && m_contentLength >= 0)
        return refuse(400, "both Content-Length and Transfer-Encoding");
    if (m_chunked && m_http10)
        return refuse(400, "Transfer-Encoding in an HTTP/1.0 request");
    if (m_chunked) {
        m_state = State::ChunkSize;
        m_sectionBytes = 0;
        return true;
    }
    if (m_contentLength > m_limits.body)
        return refuse(413, "the body is larger than the limit");
    if (m_contentLength > 0) {
        m_state = State::Body;
        m_remaining = m_contentLength;
        return true;
    }
    requestDone();
    return true;
}

bool RequestFramer::chunkSizeLine(QByteArrayView line)
{
    // Qt recognises the end of a size line only as CRLF.
    if (!line.endsWith('\r'))
        return refuse(400, "a chunk size line must end with CRLF");
    line.chop(1);
    qsizetype i = 0;
    qint64 size = 0;
    while (i < line.size() && hexDigitValue(line[i]) >= 0) {
        if (size > (kHuge >> 4))
            size = kHuge;
        else
            size = (size << 4) | hexDigitValue(line[i]);
        ++i;
    }
    if (i == 0)
        return refuse(400, "malformed chunk size");
    const QByteArrayView extension = line.sliced(i);
    if (!extension.isEmpty() && (extension.front() != ';' || !isFieldText(extension)))
        return refuse(400, "malformed chunk extension");
    if (size > m_limits.body - m_bodyData)
        return refuse(413, "the body is larger than the limit");
    m_bodyData += size;
    m_crlfSeen = 0;
    if (size == 0) {
        m_state = State::LastChunkEnd;
    } else {
        m_state = State::ChunkData;
        m_remaining = size;
    }
    return true;
}

} // namespace sanayicin
