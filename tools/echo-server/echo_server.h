#pragma once

#include "event_loop.h"
#include "registry.h"

#include <atomic>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <unordered_map>
#include <vector>

namespace sanayicin::echo {

class EchoConnection;
class EchoServer;

struct Settings
{
    uint32_t address = 0x7F000001;
    uint16_t port = 0;
    int threads = 2;
    int heartbeatS = 30;
};

// One thread: its own epoll loop, SO_REUSEPORT listener and connections, and
// an inbox through which the other threads hand it frames to deliver.
class EchoThread : public loadgen::EventLoop::Handler
{
public:
    EchoThread(EchoServer &server, uint32_t index, int listenFd);
    ~EchoThread() override;

    void start();
    void stop();

    // Thread-safe: queue a frame (already encoded) for connection `connId`.
    void enqueue(uint64_t connId, std::shared_ptr<const std::string> frame);

    // On this thread.
    void markDirty(EchoConnection *c) { m_dirty.push_back(c); }
    void retire(EchoConnection *c);
    char *readBuffer(size_t &size)
    {
        size = m_readBuffer.size();
        return m_readBuffer.data();
    }
    uint32_t index() const { return m_index; }
    EchoServer &server() { return m_server; }
    loadgen::EventLoop &loop() { return m_loop; }
    uint64_t newConnectionId() { return (uint64_t(m_index) << 48) | ++m_nextConn; }

    void onEvents(uint32_t events) override; // the listening socket

private:
    struct Item
    {
        uint64_t connId;
        std::shared_ptr<const std::string> frame;
    };

    void run();
    void drainInbox();
    void flushDirty();

    EchoServer &m_server;
    uint32_t m_index;
    int m_listenFd;
    loadgen::EventLoop m_loop;
    std::thread m_thread;
    std::atomic<bool> m_quit{false};
    std::unordered_map<uint64_t, std::unique_ptr<EchoConnection>> m_conns;
    std::vector<std::unique_ptr<EchoConnection>> m_graveyard; // freed after each loop turn
    std::vector<EchoConnection *> m_dirty;
    std::vector<char> m_readBuffer;
    uint64_t m_nextConn = 0;

    std::mutex m_inboxMutex;
    std::vector<Item> m_inbox;
    bool m_woken = false;
};

class EchoServer
{
public:
    explicit EchoServer(Settings s) : m_settings(s) {}
    ~EchoServer();
    // Binds and starts the threads; the port actually bound in `port`.
    bool start(std::string &error, uint16_t &port);
    void stop();

    const Settings &settings() const { return m_settings; }
    Registry &registry() { return m_registry; }
    EchoThread &thread(uint32_t i) { return *m_threads[i]; }

private:
    Settings m_settings;
    Registry m_registry;
    std::vector<std::unique_ptr<EchoThread>> m_threads;
};

} // namespace sanayicin::echo
