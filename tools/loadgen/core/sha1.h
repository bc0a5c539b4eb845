#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <string_view>

namespace sanayicin::loadgen {

// SHA-1 and base64, only for Sec-WebSocket-Accept (RFC 6455 §4.2.2): the
// opening handshake of a storm of connections should not need Qt or OpenSSL.
std::array<uint8_t, 20> sha1(std::string_view data);
std::string base64(const uint8_t *data, size_t len);

} // namespace sanayicin::loadgen
