// RequestFramer against arbitrary byte streams.
//
// Input: byte 0 picks the limits, bytes 1-2 seed how the stream is cut into
// pieces, the rest is the stream. Checked:
// - the verdict (status, requests completed, where the last one ended,
//   upgrade, mid-request) is the same fed whole, byte by byte, and in pieces;
// - every request it completes is within the limits;
// - every request it completes is framed the same way by a model of
//   QtHttpServer 6.4.2's parser (qhttpserverrequest.cpp with
//   qhttpheaderparser.cpp, every byte available at once), which is what
//   reads the bytes after the framer lets them through: same end, so no
//   request can be smuggled past the framer inside another.

#include "http/request_framer.h"

#include <QByteArray>
#include <QList>
#include <cstdint>
#include <cstring>

using namespace sanayicin;

namespace {

[[noreturn]] void fail(const char *what)
{
    fprintf(stderr, "property violated: %s\n", what);
    __builtin_trap();
}

struct Verdict
{
    int status;
    qint64 completed;
    qint64 boundary;
    bool upgraded;
    bool mid;
    bool operator==(const Verdict &) const = default;
};

Verdict verdictOf(const RequestFramer &f)
{
    return {f.status(), f.completed(), f.boundary(), f.upgraded(), f.midRequest()};
}

// ---- a model of QtHttpServer 6.4.2's framing --------------------------------

struct QtRequest
{
    qsizetype end = -1;           // offset after the request; -1: incomplete or refused
    qsizetype requestLineBytes = 0; // leading whitespace, line and LF
    qsizetype headerBytes = 0;    // header section, blank line included
    int headerCount = 0;
    qint64 bodyData = 0;
    qint64 bodyFraming = 0;
    bool upgrade = false;
};

bool qtFieldName(QByteArrayView n)
{
    if (n.isEmpty())
        return false;
    for (char c : n) {
        const bool ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                        || (c != 0 && std::strchr("!#$%&'*+-.^_`|~", c));
        if (!ok)
            return false;
    }
    return true;
}

// QHttpHeaderParser::parseHeaders; on failure Qt keeps no headers at all.
QList<std::pair<QByteArray, QByteArray>> qtHeaders(QByteArrayView header, bool &ok)
{
    QList<std::pair<QByteArray, QByteArray>> result;
    ok = false;
    auto hspace = [](QByteArrayView h) { return h.startsWith(' ') || h.startsWith('\t'); };
    if (hspace(header) || (header.size() && !header.endsWith('\n')))
        return {};
    while (int tail = header.endsWith("\n\r\n") ? 2 : header.endsWith("\n\n") ? 1 : 0)
        header.chop(tail);
    while (header.size()) {
        const qsizetype colon = header.indexOf(':');
        if (colon == -1) {
            ok = result.isEmpty() && (header == "\n" || header == "\r\n");
            return ok ? result : QList<std::pair<QByteArray, QByteArray>>();
        }
        if (result.size() >= 100)
            return {};
        const QByteArrayView name = header.first(colon);
        if (!qtFieldName(name))
            return {};
        header = header.sliced(colon + 1);
        QByteArray value;
        qsizetype space = 8192 - name.size() - 1;
        do {
            const qsizetype endLine = header.indexOf('\n');
            if (endLine < 0)
                return {};
            QByteArrayView line = header.first(endLine);
            space -= line.size() - (line.endsWith('\r') ? 1 : 0);
            if (space < 0)
                return {};
            line = line.trimmed();
            if (line.size())
                value = value.size() ? value + ' ' + line.toByteArray() : line.toByteArray();
            header = header.sliced(endLine + 1);
        } while (hspace(header));
        result.append({name.toByteArray(), value});
    }
    ok = true;
    return result;
}

QByteArray combined(const QList<std::pair<QByteArray, QByteArray>> &h, const char *name)
{
    QList<QByteArray> values;
    for (const auto &[n, v] : h)
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            values << v;
    return values.join(", ");
}

QByteArray first(const QList<std::pair<QByteArray, QByteArray>> &h, const char *name)
{
    for (const auto &[n, v] : h)
        if (n.compare(name, Qt::CaseInsensitive) == 0)
            return v;
    return {};
}

// One request from `s` at `at`, every byte available (one readyRead).
QtRequest qtFrame(QByteArrayView s, qsizetype at)
{
    QtRequest r;
    qsizetype i = at;
    while (i < s.size() && std::strchr("\v\n\r \t", s[i]) && s[i] != 0)
        ++i;
    const qsizetype lf = s.indexOf('\n', i);
    if (lf < 0)
        return r;
    QByteArrayView line = s.sliced(i, lf - i);
    if (line.endsWith('\r'))
        line.chop(1);
    // parseRequestLine
    {
        qsizetype a = line.indexOf(' ');
        if (a == -1)
            return r;
        ++a;
        while (a < line.size() && line[a] == ' ')
            ++a;
        qsizetype b = line.indexOf(' ', a);
        if (b == -1)
            return r;
        ++b;
        while (b < line.size() && line[b] == ' ')
            ++b;
        if (b >= line.size())
            return r;
        const qsizetype c = line.indexOf(' ', b);
        const QByteArrayView protocol = c == -1 ? line.sliced(b) : line.sliced(b, c - b);
        if (protocol.size() != 8 || !protocol.startsWith("HTTP"))
            return r;
    }
    r.requestLineBytes = lf + 1 - at;
    // readHeader: up to "\n\r\n" or "\n\n" (or a lone line end)
    qsizetype h = lf + 1;
    qsizetype headerEnd = -1;
    for (qsizetype k = h; k < s.size(); ++k) {
        if (s[k] != '\n')
            continue;
        const QByteArrayView frag = s.sliced(h, k + 1 - h);
        if (frag.endsWith("\n\r\n") || frag.endsWith("\n\n") || frag == "\r\n" || frag == "\n") {
            headerEnd = k + 1;
            break;
        }
    }
    if (headerEnd < 0)
        return r;
    r.headerBytes = headerEnd - h;
    bool ok = false;
    const auto headers = qtHeaders(s.sliced(h, headerEnd - h), ok);
    r.headerCount = int(headers.size());
    bool lengthOk = false;
    const qint64 length = qint64(first(headers, "content-length").toULongLong(&lengthOk));
    const qint64 bodyLength = lengthOk ? length : -1;
    const bool chunked = combined(headers, "transfer-encoding").toLower().contains("chunked");
    r.upgrade = combined(headers, "connection").toLower().contains("upgrade")
                && combined(headers, "upgrade").compare("websocket", Qt::CaseInsensitive) == 0;
    qsizetype p = headerEnd;
    if (!chunked && bodyLength <= 0) {
        r.end = p;
        return r;
    }
    if (!chunked) {
        if (s.size() - p < bodyLength)
            return r;
        r.bodyData = bodyLength;
        r.end = p + bodyLength;
        return r;
    }
    // readRequestBodyChunked with everything available in one call.
    qint64 bytes = 0;
    qint64 chunkSize = 0, chunkRead = 0;
    bool lastChunk = false;
    QByteArray fragment;
    while (p < s.size()) {
        if (!lastChunk && chunkRead >= chunkSize) {
            chunkSize = 0;
            chunkRead = 0;
            if (bytes) {
                if (s.size() - p < 2)
                    return r;
                p += 2;
                bytes += 2;
                r.bodyFraming += 2;
            }
            // getChunkSize
            chunkSize = -1;
            while (p < s.size()) {
                const bool crlf = p + 1 < s.size() && s[p] == '\r' && s[p + 1] == '\n';
                if ((fragment.size() && crlf)
                    || (fragment.size() > 1 && fragment.endsWith('\r') && s[p] == '\n')) {
                    const qsizetype take = s[p] == '\r' ? 2 : 1;
                    p += take;
                    bytes += take;
                    r.bodyFraming += take;
                    bool sizeOk = false;
                    const qsizetype semi = fragment.indexOf(';');
                    chunkSize = fragment.mid(0, semi).trimmed().toLong(&sizeOk, 16);
                    fragment.clear();
                    break;
                }
                fragment.append(s[p]);
                ++p;
                ++bytes;
                ++r.bodyFraming;
            }
            if (chunkSize == -1)
                return r;
        }
        if (chunkSize == 0 || lastChunk) {
            lastChunk = true;
            if (s.size() - p < 2)
                return r; // Qt would wait (or end on one odd byte); not complete here
            p += 2;
            r.bodyFraming += 2;
            r.end = p;
            return r;
        }
        const qint64 take = std::min<qint64>(chunkSize - chunkRead, s.size() - p);
        p += take;
        chunkRead += take;
        bytes += take;
        r.bodyData += take;
    }
    return r;
}

} // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size < 3)
        return 0;
    FramingLimits limits;
    switch (data[0] % 4) {
    case 0:
        limits = {64, 128, 5, 100};
        break;
    case 1:
        limits = {200, 400, 10, 1000};
        break;
    case 2:
        limits = {30, 40, 2, 10};
        break;
    default:
        break; // the daemon's defaults
    }
    const quint32 seed = quint32(data[1]) << 8 | data[2];
    const QByteArray stream(reinterpret_cast<const char *>(data + 3), qsizetype(size - 3));

    // Whole.
    RequestFramer whole(limits);
    whole.feed(stream);
    const Verdict w = verdictOf(whole);

    // Byte by byte, noting where each request ends.
    RequestFramer single(limits);
    QList<qint64> ends;
    for (qsizetype i = 0; i < stream.size(); ++i) {
        const qint64 before = single.completed();
        if (!single.feed(QByteArrayView(stream).sliced(i, 1)))
            break;
        if (single.completed() != before) {
            if (single.completed() != before + 1)
                fail("one byte completed two requests");
            ends << single.boundary();
        }
    }
    if (!(verdictOf(single) == w))
        fail("byte by byte differs from whole");

    // In pieces.
    RequestFramer pieces(limits);
    quint32 x = seed * 2654435761u + 1;
    for (qsizetype i = 0; i < stream.size();) {
        x = x * 1103515245u + 12345u;
        const qsizetype n = std::min<qsizetype>(stream.size() - i, 1 + qsizetype((x >> 16) % 97));
        if (!pieces.feed(QByteArrayView(stream).sliced(i, n)))
            break;
        i += n;
    }
    if (!(verdictOf(pieces) == w))
        fail("pieces differ from whole");

    if (w.status != 0 && w.status != 400 && w.status != 413 && w.status != 414 && w.status != 431)
        fail("unexpected status");
    if (qint64(ends.size()) != w.completed || (!ends.isEmpty() && ends.back() != w.boundary))
        fail("request ends do not add up");
    if (w.boundary > stream.size())
        fail("boundary past the stream");

    // Each completed request: within the limits, and QtHttpServer ends it
    // where the framer does.
    qsizetype at = 0;
    for (qsizetype k = 0; k < ends.size(); ++k) {
        const QtRequest q = qtFrame(QByteArrayView(stream).first(ends[k]), at);
        if (q.end != ends[k])
            fail("QtHttpServer would frame this request differently");
        if (q.requestLineBytes > limits.requestLine)
            fail("request line over the limit");
        if (q.headerBytes > limits.headerSection || q.headerCount > limits.headerCount)
            fail("headers over the limit");
        if (q.bodyData > limits.body || q.bodyFraming > limits.chunkFraming() + 5)
            fail("body over the limit");
        if (q.end - at > limits.largestRequest())
            fail("request larger than largestRequest()");
        if (q.upgrade && k + 1 != ends.size())
            fail("a request completed after an upgrade");
        at = q.end;
    }
    if (w.upgraded && (ends.isEmpty() || !qtFrame(QByteArrayView(stream).first(ends.back()),
                                                 ends.size() > 1 ? ends[ends.size() - 2] : 0)
                                              .upgrade))
        fail("upgrade not as QtHttpServer sees it");
    return 0;
}
