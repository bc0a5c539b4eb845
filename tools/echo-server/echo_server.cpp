#include "echo_server.h"

#include "clock.h"
#include "echo_connection.h"
#include "net.h"

#include <cerrno>
#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>
#include <unistd.h>

namespace sanayicin::echo {

EchoThread::EchoThread(EchoServer &server, uint32_t index, int listenFd)
    : m_server(server), m_index(index), m_listenFd(listenFd), m_readBuffer(256 * 1024)
{
    m_loop.add(m_listenFd, EPOLLIN, this);
    m_loop.setWakeCallback([this] { drainInbox(); });
}

EchoThread::~EchoThread()
{
    stop();
    m_conns.clear();
    m_graveyard.clear();
    if (m_listenFd >= 0)
        ::close(m_listenFd);
}

void EchoThread::start()
{
    m_thread = std::thread([this] { run(); });
}

void EchoThread::stop()
{
    if (!m_thread.joinable())
        return;
    m_quit = true;
    m_loop.wake();
    m_thread.join();
}

void EchoThread::run()
{
    while (!m_quit) {
        m_loop.poll(m_dirty.empty() ? loadgen::monoNs() + 200 * loadgen::kNsPerMs : 0);
        drainInbox();
        flushDirty();
        m_graveyard.clear();
    }
}

void EchoThread::onEvents(uint32_t)
{
    for (;;) {
        const int fd = ::accept4(m_listenFd, nullptr, nullptr, SOCK_NONBLOCK | SOCK_CLOEXEC);
        if (fd < 0) {
            if (errno == EINTR || errno == ECONNABORTED)
                continue;
            return; // EAGAIN, or out of descriptors (the next connection retries)
        }
        const int one = 1;
        setsockopt(fd, IPPROTO_TCP, TCP_NODELAY, &one, sizeof one);
        const uint64_t id = newConnectionId();
        auto c = std::make_unique<EchoConnection>(*this, fd, id);
        m_loop.add(fd, EPOLLIN | EPOLLOUT | EPOLLRDHUP | EPOLLET, c.get());
        m_conns.emplace(id, std::move(c));
    }
}

void EchoThread::enqueue(uint64_t connId, std::shared_ptr<const std::string> frame)
{
    bool wake = false;
    {
        std::lock_guard<std::mutex> lock(m_inboxMutex);
        m_inbox.push_back({connId, std::move(frame)});
        if (!m_woken) {
            m_woken = true;
            wake = true;
        }
    }
    if (wake)
        m_loop.wake(); // one eventfd write per batch, not per frame
}

void EchoThread::drainInbox()
{
    std::vector<Item> items;
    {
        std::lock_guard<std::mutex> lock(m_inboxMutex);
        items.swap(m_inbox);
        m_woken = false;
    }
    for (const Item &it : items) {
        auto c = m_conns.find(it.connId);
        if (c != m_conns.end())
            c->second->queueEncoded(*it.frame);
    }
}

void EchoThread::flushDirty()
{
    std::vector<EchoConnection *> dirty;
    dirty.swap(m_dirty);
    for (EchoConnection *c : dirty)
        c->flush();
}

void EchoThread::retire(EchoConnection *c)
{
    auto it = m_conns.find(c->id());
    if (it == m_conns.end())
        return;
    // Not freed now: it may be in this turn's event batch or dirty list.
    m_graveyard.push_back(std::move(it->second));
    m_conns.erase(it);
}

EchoServer::~EchoServer()
{
    stop();
}

bool EchoServer::start(std::string &error, uint16_t &port)
{
    port = m_settings.port;
    for (int i = 0; i < m_settings.threads; ++i) {
        // With port 0 the first socket picks one and the others join it.
        const int fd = loadgen::listenTcp(m_settings.address, port, true, 4096, error);
        if (fd < 0)
            return false;
        if (port == 0)
            port = loadgen::localPort(fd);
        m_threads.push_back(std::make_unique<EchoThread>(*this, uint32_t(i), fd));
    }
    for (auto &t : m_threads)
        t->start();
    return true;
}

void EchoServer::stop()
{
    for (auto &t : m_threads)
        t->stop();
}

} // namespace sanayicin::echo
