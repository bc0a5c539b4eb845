#pragma once

#include <cstdint>
#include <functional>
#include <sys/epoll.h>

namespace sanayicin::loadgen {

// One epoll instance per thread, with a nanosecond deadline (epoll_pwait2)
// because the send schedule of a worker has due times 50 µs apart, and an
// eventfd through which other threads wake it. Handlers must outlive their
// registration: nothing is deleted while a batch of events is dispatched.
class EventLoop
{
public:
    struct Handler
    {
        virtual ~Handler() = default;
        virtual void onEvents(uint32_t events) = 0;
    };

    EventLoop();
    ~EventLoop();
    EventLoop(const EventLoop &) = delete;
    EventLoop &operator=(const EventLoop &) = delete;

    bool add(int fd, uint32_t events, Handler *handler);
    bool modify(int fd, uint32_t events, Handler *handler);
    void remove(int fd);

    // Waits for events until `deadlineNs` (monotonic; INT64_MAX: no deadline;
    // <= now: just looks), dispatches them, returns how many there were.
    int poll(int64_t deadlineNs);

    // Thread-safe: makes a poll() in progress (or the next one) return, and
    // calls the wake callback on the loop's thread.
    void wake();
    void setWakeCallback(std::function<void()> cb) { m_onWake = std::move(cb); }

private:
    struct WakeHandler : Handler
    {
        EventLoop *loop = nullptr;
        void onEvents(uint32_t) override;
    };

    int m_epoll = -1;
    int m_wakeFd = -1;
    bool m_usePwait2 = true;
    WakeHandler m_wakeHandler;
    std::function<void()> m_onWake;
    epoll_event m_events[512];
};

} // namespace sanayicin::loadgen
