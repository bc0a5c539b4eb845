#include "event_loop.h"

#include "clock.h"

#include <cerrno>
#include <cstdio>
#include <cstdlib>
#include <sys/eventfd.h>
#include <unistd.h>

namespace sanayicin::loadgen {

EventLoop::EventLoop()
{
    m_epoll = epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = eventfd(0, EFD_NONBLOCK | EFD_CLOEXEC);
    if (m_epoll < 0 || m_wakeFd < 0) {
        std::perror("epoll/eventfd");
        std::abort(); // nothing useful can run without them
    }
    m_wakeHandler.loop = this;
    add(m_wakeFd, EPOLLIN, &m_wakeHandler);
}

EventLoop::~EventLoop()
{
    if (m_wakeFd >= 0)
        ::close(m_wakeFd);
    if (m_epoll >= 0)
        ::close(m_epoll);
}

bool EventLoop::add(int fd, uint32_t events, Handler *handler)
{
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = handler;
    return epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev) == 0;
}

bool EventLoop::modify(int fd, uint32_t events, Handler *handler)
{
    epoll_event ev{};
    ev.events = events;
    ev.data.ptr = handler;
    return epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev) == 0;
}

void EventLoop::remove(int fd)
{
    epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
}

int EventLoop::poll(int64_t deadlineNs)
{
    int n;
    int64_t wait = 0;
    if (deadlineNs == INT64_MAX) {
        wait = -1;
    } else {
        wait = deadlineNs - monoNs();
        if (wait < 0)
            wait = 0;
    }
    if (m_usePwait2) {
        timespec ts{};
        ts.tv_sec = wait / kNsPerSec;
        ts.tv_nsec = wait % kNsPerSec;
        n = epoll_pwait2(m_epoll, m_events, 512, wait < 0 ? nullptr : &ts, nullptr);
        if (n < 0 && errno == ENOSYS) {
            m_usePwait2 = false; // an old kernel: millisecond timeouts below
            return 0;
        }
    } else {
        const int ms = wait < 0 ? -1 : int((wait + kNsPerMs - 1) / kNsPerMs);
        n = epoll_wait(m_epoll, m_events, 512, ms);
    }
    if (n <= 0)
        return 0;
    for (int i = 0; i < n; ++i)
        static_cast<Handler *>(m_events[i].data.ptr)->onEvents(m_events[i].events);
    return n;
}

void EventLoop::wake()
{
    const uint64_t one = 1;
    [[maybe_unused]] ssize_t r = ::write(m_wakeFd, &one, sizeof one);
}

void EventLoop::WakeHandler::onEvents(uint32_t)
{
    uint64_t v;
    while (::read(loop->m_wakeFd, &v, sizeof v) > 0) {
    }
    if (loop->m_onWake)
        loop->m_onWake();
}

} // namespace sanayicin::loadgen
