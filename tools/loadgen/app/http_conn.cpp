#include "http_conn.h"

#include "ws_handshake.h"

#include <cerrno>
#include <cstdlib>
#include <sys/socket.h>
#include <unistd.h>

namespace sanayicin::loadgen {

HttpConn::~HttpConn()
{
    closeSocket();
}

void HttpConn::closeSocket()
{
    if (m_fd >= 0) {
        m_loop.remove(m_fd);
        ::close(m_fd);
        m_fd = -1;
    }
    m_connected = false;
    m_serverCloses = false;
    m_in.clear();
}

void HttpConn::open()
{
    m_fd = connectTcp(m_server, m_source);
    if (m_fd < 0 || !m_loop.add(m_fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, this)) {
        fail();
        return;
    }
}

void HttpConn::fail()
{
    closeSocket();
    Callback cb = std::move(m_callback);
    m_callback = nullptr;
    if (cb)
        cb(HttpResponse{});
}

void HttpConn::request(std::string_view method, std::string_view path, std::string_view body,
                       std::string_view bearer, Callback done)
{
    m_callback = std::move(done);
    m_out.clear();
    m_outOffset = 0;
    m_out.append(method).append(" ").append(path).append(" HTTP/1.1\r\nHost: ");
    m_out.append(m_server.hostPort).append("\r\nContent-Type: application/json\r\n");
    if (!bearer.empty())
        m_out.append("Authorization: Bearer ").append(bearer).append("\r\n");
    m_out.append("Content-Length: ").append(std::to_string(body.size())).append("\r\n\r\n");
    m_out.append(body);
    if (m_fd < 0)
        open(); // the write goes out once connected
    else
        writeSome();
}

void HttpConn::onEvents(uint32_t events)
{
    if (m_fd < 0)
        return;
    if (events & EPOLLOUT) {
        if (!m_connected) {
            int err = 0;
            socklen_t len = sizeof err;
            getsockopt(m_fd, SOL_SOCKET, SO_ERROR, &err, &len);
            if (err) {
                fail();
                return;
            }
            m_connected = true;
        }
        writeSome();
    }
    if (m_fd >= 0 && (events & (EPOLLIN | EPOLLRDHUP | EPOLLHUP | EPOLLERR)))
        readSome();
}

void HttpConn::writeSome()
{
    if (!m_connected)
        return;
    while (m_outOffset < m_out.size()) {
        const ssize_t n =
            ::send(m_fd, m_out.data() + m_outOffset, m_out.size() - m_outOffset, MSG_NOSIGNAL);
        if (n > 0) {
            m_outOffset += size_t(n);
            continue;
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        fail();
        return;
    }
}

void HttpConn::readSome()
{
    char buf[16384];
    for (;;) {
        const ssize_t n = ::recv(m_fd, buf, sizeof buf, 0);
        if (n > 0) {
            m_in.append(buf, size_t(n));
            if (parse())
                return;
            continue;
        }
        if (n < 0 && errno == EINTR)
            continue;
        if (n < 0 && errno == EAGAIN)
            return;
        // Closed: a request in flight is lost (the caller retries it); an
        // idle keep-alive connection is simply reopened on the next request.
        if (m_callback)
            fail();
        else
            closeSocket();
        return;
    }
}

bool HttpConn::parse()
{
    const size_t end = m_in.find("\r\n\r\n");
    if (end == std::string::npos)
        return false;
    const std::string_view head(m_in.data(), end);
    HttpResponse r;
    if (head.size() < 12 || head.substr(0, 5) != "HTTP/") {
        fail();
        return true;
    }
    r.status = std::atoi(std::string(head.substr(9, 3)).c_str());
    const size_t firstLine = head.find("\r\n");
    const std::string_view headers =
        firstLine == std::string_view::npos ? std::string_view() : head.substr(firstLine + 2);
    const std::string_view length = ws::headerValue(headers, "Content-Length");
    const std::string_view encoding = ws::headerValue(headers, "Transfer-Encoding");
    const std::string_view connection = ws::headerValue(headers, "Connection");
    const std::string_view retry = ws::headerValue(headers, "Retry-After");
    if (!retry.empty())
        r.retryAfterS = std::atoi(std::string(retry).c_str());
    size_t used = end + 4;
    if (encoding.find("chunked") != std::string_view::npos) {
        size_t at = used;
        for (;;) {
            const size_t lineEnd = m_in.find("\r\n", at);
            if (lineEnd == std::string::npos)
                return false;
            const size_t size = std::strtoul(m_in.substr(at, lineEnd - at).c_str(), nullptr, 16);
            if (m_in.size() < lineEnd + 2 + size + 2)
                return false;
            r.body.append(m_in, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
            if (size == 0)
                break;
        }
        used = at;
    } else {
        const size_t n = length.empty() ? 0 : std::strtoul(std::string(length).c_str(), nullptr, 10);
        if (m_in.size() < used + n)
            return false;
        r.body.assign(m_in, used, n);
        used += n;
    }
    m_serverCloses = connection == "close" || connection == "Close";
    m_in.erase(0, used);
    if (m_serverCloses)
        closeSocket();
    Callback cb = std::move(m_callback);
    m_callback = nullptr;
    if (cb)
        cb(std::move(r));
    return true;
}

} // namespace sanayicin::loadgen
