#include "ws_handshake.h"

#include "sha1.h"

#include <cstring>

namespace sanayicin::loadgen::ws {

namespace {
constexpr std::string_view kGuid = "258EAFA5-E914-47DA-95CA-C5AB0DC85B11";

char lower(char c)
{
    return (c >= 'A' && c <= 'Z') ? char(c - 'A' + 'a') : c;
}

bool equalsNoCase(std::string_view a, std::string_view b)
{
    if (a.size() != b.size())
        return false;
    for (size_t i = 0; i < a.size(); ++i)
        if (lower(a[i]) != lower(b[i]))
            return false;
    return true;
}

bool containsNoCase(std::string_view hay, std::string_view needle)
{
    if (needle.size() > hay.size())
        return false;
    for (size_t i = 0; i + needle.size() <= hay.size(); ++i)
        if (equalsNoCase(hay.substr(i, needle.size()), needle))
            return true;
    return false;
}

std::string_view trim(std::string_view v)
{
    while (!v.empty() && (v.front() == ' ' || v.front() == '\t'))
        v.remove_prefix(1);
    while (!v.empty() && (v.back() == ' ' || v.back() == '\t' || v.back() == '\r'))
        v.remove_suffix(1);
    return v;
}
} // namespace

std::string acceptFor(std::string_view key)
{
    std::string s(key);
    s.append(kGuid);
    const auto digest = sha1(s);
    return base64(digest.data(), digest.size());
}

std::string makeKey(uint64_t random1, uint64_t random2)
{
    uint8_t bytes[16];
    std::memcpy(bytes, &random1, 8);
    std::memcpy(bytes + 8, &random2, 8);
    return base64(bytes, 16);
}

std::string clientRequest(std::string_view hostPort, std::string_view path, std::string_view key,
                          std::string_view bearerToken)
{
    std::string r;
    r.reserve(256 + bearerToken.size());
    r.append("GET ").append(path).append(" HTTP/1.1\r\nHost: ").append(hostPort);
    r.append("\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Version: 13\r\n"
             "Sec-WebSocket-Key: ");
    r.append(key).append("\r\n");
    if (!bearerToken.empty())
        r.append("Authorization: Bearer ").append(bearerToken).append("\r\n");
    r.append("\r\n");
    return r;
}

std::string_view headerValue(std::string_view headers, std::string_view name)
{
    size_t at = 0;
    while (at < headers.size()) {
        size_t end = headers.find("\r\n", at);
        if (end == std::string_view::npos)
            end = headers.size();
        const std::string_view line = headers.substr(at, end - at);
        const size_t colon = line.find(':');
        if (colon != std::string_view::npos && equalsNoCase(trim(line.substr(0, colon)), name))
            return trim(line.substr(colon + 1));
        at = end + 2;
    }
    return {};
}

HandshakeStatus parseServerResponse(std::string_view buffer, std::string_view expectedAccept,
                                    size_t &headerLength, int &status)
{
    status = 0;
    const size_t end = buffer.find("\r\n\r\n");
    if (end == std::string_view::npos)
        return buffer.size() > 16384 ? HandshakeStatus::Error : HandshakeStatus::NeedMore;
    headerLength = end + 4;
    const std::string_view head = buffer.substr(0, end);
    // "HTTP/1.1 101 Switching Protocols"
    if (head.size() < 12 || head.substr(0, 5) != "HTTP/")
        return HandshakeStatus::Error;
    const size_t sp = head.find(' ');
    if (sp == std::string_view::npos || sp + 4 > head.size())
        return HandshakeStatus::Error;
    for (size_t i = sp + 1; i < sp + 4; ++i) {
        if (head[i] < '0' || head[i] > '9')
            return HandshakeStatus::Error;
        status = status * 10 + (head[i] - '0');
    }
    if (status != 101)
        return HandshakeStatus::Error;
    const size_t firstLine = head.find("\r\n");
    const std::string_view headers =
        firstLine == std::string_view::npos ? std::string_view() : head.substr(firstLine + 2);
    if (headerValue(headers, "Sec-WebSocket-Accept") != expectedAccept)
        return HandshakeStatus::Error;
    if (!containsNoCase(headerValue(headers, "Upgrade"), "websocket"))
        return HandshakeStatus::Error;
    return HandshakeStatus::Ok;
}

HandshakeStatus parseClientRequest(std::string_view buffer, UpgradeRequest &out,
                                   size_t &headerLength)
{
    const size_t end = buffer.find("\r\n\r\n");
    if (end == std::string_view::npos)
        return buffer.size() > 16384 ? HandshakeStatus::Error : HandshakeStatus::NeedMore;
    headerLength = end + 4;
    const std::string_view head = buffer.substr(0, end);
    if (head.substr(0, 4) != "GET ")
        return HandshakeStatus::Error;
    const size_t pathEnd = head.find(' ', 4);
    if (pathEnd == std::string_view::npos)
        return HandshakeStatus::Error;
    out.path = head.substr(4, pathEnd - 4);
    const size_t firstLine = head.find("\r\n");
    const std::string_view headers =
        firstLine == std::string_view::npos ? std::string_view() : head.substr(firstLine + 2);
    out.key = headerValue(headers, "Sec-WebSocket-Key");
    out.authorization = headerValue(headers, "Authorization");
    out.upgrade = containsNoCase(headerValue(headers, "Upgrade"), "websocket");
    if (out.key.empty() || !out.upgrade)
        return HandshakeStatus::Error;
    return HandshakeStatus::Ok;
}

std::string serverResponse(std::string_view key)
{
    std::string r = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n"
                    "Connection: Upgrade\r\nSec-WebSocket-Accept: ";
    r.append(acceptFor(key)).append("\r\n\r\n");
    return r;
}

} // namespace sanayicin::loadgen::ws
