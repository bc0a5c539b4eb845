#include "net.h"

#include <arpa/inet.h>
#include <cerrno>
#include <cstring>
#include <fcntl.h>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sanayicin::loadgen {

bool parseIPv4(std::string_view text, uint32_t &out)
{
    if (text == "localhost")
        text = "127.0.0.1";
    uint32_t v = 0;
    int parts = 0;
    size_t i = 0;
    while (parts < 4) {
        if (i >= text.size() || text[i] < '0' || text[i] > '9')
            return false;
        uint32_t octet = 0;
        size_t digits = 0;
        while (i < text.size() && text[i] >= '0' && text[i] <= '9' && digits < 4) {
            octet = octet * 10 + uint32_t(text[i++] - '0');
            ++digits;
        }
        if (octet > 255)
            return false;
        v = (v << 8) | octet;
        ++parts;
        if (parts < 4) {
            if (i >= text.size() || text[i] != '.')
                return false;
            ++i;
        }
    }
    if (i != text.size())
        return false;
    out = v;
    return true;
}

std::string formatIPv4(uint32_t a)
{
    return std::to_string(a >> 24) + '.' + std::to_string((a >> 16) & 255) + '.'
           + std::to_string((a >> 8) & 255) + '.' + std::to_string(a & 255);
}

bool parseUrl(std::string_view url, std::string_view scheme, Endpoint &out, std::string &error)
{
    const std::string prefix = std::string(scheme) + "://";
    if (url.substr(0, prefix.size()) != prefix) {
        error = "expected " + prefix + "HOST:PORT/PATH, got " + std::string(url);
        return false;
    }
    std::string_view rest = url.substr(prefix.size());
    const size_t slash = rest.find('/');
    const std::string_view hostPort = rest.substr(0, slash);
    out.path = slash == std::string_view::npos ? "/" : std::string(rest.substr(slash));
    const size_t colon = hostPort.rfind(':');
    std::string_view host = hostPort;
    uint32_t port = scheme == "ws" || scheme == "http" ? 80 : 0;
    if (colon != std::string_view::npos) {
        host = hostPort.substr(0, colon);
        port = 0;
        const std::string_view p = hostPort.substr(colon + 1);
        if (p.empty() || p.size() > 5)
            port = 70000;
        for (char c : p) {
            if (c < '0' || c > '9') {
                port = 70000;
                break;
            }
            port = port * 10 + uint32_t(c - '0');
        }
    }
    if (port == 0 || port > 65535 || !parseIPv4(host, out.address)) {
        error = "cannot read " + std::string(url) + " (IPv4 literal or localhost, and a port)";
        return false;
    }
    out.port = uint16_t(port);
    out.hostPort = std::string(hostPort);
    return true;
}

bool parseAddressList(std::string_view spec, std::vector<uint32_t> &out, std::string &error)
{
    while (!spec.empty()) {
        const size_t comma = spec.find(',');
        const std::string_view item = spec.substr(0, comma);
        spec = comma == std::string_view::npos ? std::string_view() : spec.substr(comma + 1);
        const size_t dash = item.find('-');
        uint32_t first = 0, last = 0;
        const bool ok = dash == std::string_view::npos
                            ? parseIPv4(item, first) && ((last = first), true)
                            : parseIPv4(item.substr(0, dash), first)
                                  && parseIPv4(item.substr(dash + 1), last);
        if (!ok || last < first || last - first > 65535) {
            error = "bad address or range: " + std::string(item);
            return false;
        }
        for (uint32_t a = first;; ++a) {
            out.push_back(a);
            if (a == last)
                break;
        }
    }
    return true;
}

int connectTcp(const Endpoint &to, uint32_t source)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0)
        return -1;
    const int one = 1;
    setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
    if (source) {
#ifdef IP_BIND_ADDRESS_NO_PORT
        setsockopt(fd, IPPROTO_IP, IP_BIND_ADDRESS_NO_PORT, &one, sizeof one);
#endif
        sockaddr_in src{};
        src.sin_family = AF_INET;
        src.sin_addr.s_addr = htonl(source);
        if (::bind(fd, reinterpret_cast<sockaddr *>(&src), sizeof src) != 0) {
            const int e = errno;
            ::close(fd);
            errno = e;
            return -1;
        }
    }
    sockaddr_in dst{};
    dst.sin_family = AF_INET;
    dst.sin_port = htons(to.port);
    dst.sin_addr.s_addr = htonl(to.address);
    if (::connect(fd, reinterpret_cast<sockaddr *>(&dst), sizeof dst) != 0 && errno != EINPROGRESS) {
        const int e = errno;
        ::close(fd);
        errno = e;
        return -1;
    }
    return fd;
}

int listenTcp(uint32_t address, uint16_t port, bool reusePort, int backlog, std::string &error)
{
    const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        error = std::strerror(errno);
        return -1;
    }
    const int one = 1;
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
    if (reusePort)
        setsockopt(fd, SOL_SOCKET, SO_REUSEPORT, &one, sizeof one);
    sockaddr_in a{};
    a.sin_family = AF_INET;
    a.sin_port = htons(port);
    a.sin_addr.s_addr = htonl(address);
    if (::bind(fd, reinterpret_cast<sockaddr *>(&a), sizeof a) != 0 || ::listen(fd, backlog) != 0) {
        error = std::strerror(errno);
        ::close(fd);
        return -1;
    }
    return fd;
}

uint16_t localPort(int fd)
{
    sockaddr_in a{};
    socklen_t len = sizeof a;
    if (getsockname(fd, reinterpret_cast<sockaddr *>(&a), &len) != 0)
        return 0;
    return ntohs(a.sin_port);
}

} // namespace sanayicin::loadgen
