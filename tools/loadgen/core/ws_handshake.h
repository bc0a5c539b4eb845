#pragma once

#include <cstdint>
#include <string>
#include <string_view>

namespace sanayicin::loadgen::ws {

// The HTTP/1.1 upgrade of RFC 6455 §4, both sides, without allocation beyond
// the strings returned.

// Sec-WebSocket-Accept for a Sec-WebSocket-Key.
std::string acceptFor(std::string_view key);
// A fresh Sec-WebSocket-Key (16 random bytes, base64) from the caller's random bits.
std::string makeKey(uint64_t random1, uint64_t random2);

// The client's upgrade request; with a token, authenticated by header.
std::string clientRequest(std::string_view hostPort, std::string_view path, std::string_view key,
                          std::string_view bearerToken);

enum class HandshakeStatus { NeedMore, Ok, Error };

// Checks the server's answer in `buffer`: 101 with the right accept value.
// On Ok, `headerLength` is where the WebSocket bytes begin; on Error,
// `status` holds the HTTP status (0 if none could be read).
HandshakeStatus parseServerResponse(std::string_view buffer, std::string_view expectedAccept,
                                    size_t &headerLength, int &status);

struct UpgradeRequest
{
    std::string_view path;
    std::string_view key;           // Sec-WebSocket-Key
    std::string_view authorization; // the whole header value, may be empty
    bool upgrade = false;           // Upgrade: websocket present
};

// Reads a client's upgrade request (echo server); views point into `buffer`.
HandshakeStatus parseClientRequest(std::string_view buffer, UpgradeRequest &out,
                                   size_t &headerLength);
std::string serverResponse(std::string_view key);

// Header lookup in a block of "Name: value\r\n" lines, case-insensitive name.
std::string_view headerValue(std::string_view headers, std::string_view name);

} // namespace sanayicin::loadgen::ws
