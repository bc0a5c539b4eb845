#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace sanayicin::loadgen {

// An IPv4 endpoint from a ws:// or http:// URL. Load tests run on loopback
// or a lab network: literal addresses only (and "localhost"), no DNS.
struct Endpoint
{
    uint32_t address = 0; // host byte order
    uint16_t port = 0;
    std::string hostPort; // for the Host header
    std::string path;     // "/ws"; "/" when absent
};

bool parseUrl(std::string_view url, std::string_view scheme, Endpoint &out, std::string &error);
// "127.0.0.2-127.0.0.50", "127.0.0.2,127.0.0.3" or a mix; appends to `out`.
bool parseAddressList(std::string_view spec, std::vector<uint32_t> &out, std::string &error);
bool parseIPv4(std::string_view text, uint32_t &out);
std::string formatIPv4(uint32_t address);

// A non-blocking TCP socket (TCP_NODELAY), bound to `source` when it is not 0
// (with IP_BIND_ADDRESS_NO_PORT, so that the port is chosen at connect() and
// each source address gets its own 28,000 ephemeral ports), connecting to
// `to`. Returns the fd, or -1 with errno set.
int connectTcp(const Endpoint &to, uint32_t source);

// A non-blocking listening socket (SO_REUSEADDR, and SO_REUSEPORT when asked,
// so that several threads accept on one port). Returns the fd or -1.
int listenTcp(uint32_t address, uint16_t port, bool reusePort, int backlog, std::string &error);
uint16_t localPort(int fd);

} // namespace sanayicin::loadgen
