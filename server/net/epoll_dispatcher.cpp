#include "epoll_dispatcher.h"

#include <QCoreApplication>
#include <QSocketNotifier>
#include <QThread>
#include <cerrno>
#include <chrono>
#include <sys/epoll.h>
#include <sys/eventfd.h>
#include <unistd.h>

namespace sanayicin {

namespace {

qint64 nowNs()
{
    using namespace std::chrono;
    return duration_cast<nanoseconds>(steady_clock::now().time_since_epoch()).count();
}

constexpr int kMaxEvents = 512;

} // namespace

EpollEventDispatcher::EpollEventDispatcher(QObject *parent)
    : QAbstractEventDispatcher(parent), m_ready(kMaxEvents)
{
    m_epoll = ::epoll_create1(EPOLL_CLOEXEC);
    m_wakeFd = ::eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
    if (m_epoll < 0 || m_wakeFd < 0)
        qFatal("epoll_create1/eventfd failed: %s", strerror(errno));
    epoll_event ev{};
    ev.events = EPOLLIN;
    ev.data.fd = m_wakeFd;
    ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, m_wakeFd, &ev);
}

EpollEventDispatcher::~EpollEventDispatcher()
{
    ::close(m_wakeFd);
    ::close(m_epoll);
}

void EpollEventDispatcher::updateWatch(int fd, Watch &w)
{
    quint32 events = 0;
    if (w.read)
        events |= EPOLLIN;
    if (w.write)
        events |= EPOLLOUT;
    if (w.exception)
        events |= EPOLLPRI;
    if (events == w.events)
        return;
    epoll_event ev{};
    ev.events = events;
    ev.data.fd = fd;
    if (w.events == 0)
        ::epoll_ctl(m_epoll, EPOLL_CTL_ADD, fd, &ev);
    else if (events == 0)
        ::epoll_ctl(m_epoll, EPOLL_CTL_DEL, fd, nullptr);
    else
        ::epoll_ctl(m_epoll, EPOLL_CTL_MOD, fd, &ev);
    w.events = events;
}

// Qt's socket engines use notifier subclasses of their own whose type
// information libQt6Network does not export, so UndefinedBehaviorSanitizer's
// vptr check cannot see that they are QSocketNotifiers and reports a false
// "invalid vptr" when one is enabled or disabled again (QTcpServer's
// pauseAccepting/resumeAccepting, a socket's full read buffer).
#define SANAYICIN_QT_NOTIFIER __attribute__((no_sanitize("vptr")))

SANAYICIN_QT_NOTIFIER
void EpollEventDispatcher::registerSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    Watch &w = m_watches[fd];
    switch (notifier->type()) {
    case QSocketNotifier::Read: w.read = notifier; break;
    case QSocketNotifier::Write: w.write = notifier; break;
    case QSocketNotifier::Exception: w.exception = notifier; break;
    }
    updateWatch(fd, w);
}

SANAYICIN_QT_NOTIFIER
void EpollEventDispatcher::unregisterSocketNotifier(QSocketNotifier *notifier)
{
    const int fd = int(notifier->socket());
    auto it = m_watches.find(fd);
    if (it == m_watches.end())
        return;
    Watch &w = it->second;
    if (w.read == notifier)
        w.read = nullptr;
    else if (w.write == notifier)
        w.write = nullptr;
    else if (w.exception == notifier)
        w.exception = nullptr;
    else
        return;
    updateWatch(fd, w);
    if (!w.read && !w.write && !w.exception)
        m_watches.erase(it);
}

void EpollEventDispatcher::registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                                         QObject *object)
{
    Timer t;
    t.intervalMs = interval;
    t.type = timerType;
    t.object = object;
    t.deadlineNs = nowNs() + interval * 1000000;
    m_timers[timerId] = t;
    m_deadlines.insert({t.deadlineNs, timerId});
}

bool EpollEventDispatcher::unregisterTimer(int timerId)
{
    auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return false;
    m_deadlines.erase({it->second.deadlineNs, timerId});
    m_timers.erase(it);
    return true;
}

bool EpollEventDispatcher::unregisterTimers(QObject *object)
{
    bool any = false;
    for (auto it = m_timers.begin(); it != m_timers.end();) {
        if (it->second.object == object) {
            m_deadlines.erase({it->second.deadlineNs, it->first});
            it = m_timers.erase(it);
            any = true;
        } else {
            ++it;
        }
    }
    return any;
}

QList<QAbstractEventDispatcher::TimerInfo> EpollEventDispatcher::registeredTimers(QObject *object) const
{
    QList<TimerInfo> out;
    for (const auto &[id, t] : m_timers)
        if (t.object == object)
            out.push_back(TimerInfo(id, int(t.intervalMs), t.type));
    return out;
}

int EpollEventDispatcher::remainingTime(int timerId)
{
    auto it = m_timers.find(timerId);
    if (it == m_timers.end())
        return -1;
    return int(std::max<qint64>(0, (it->second.deadlineNs - nowNs()) / 1000000));
}

void EpollEventDispatcher::wakeUp()
{
    const quint64 one = 1;
    [[maybe_unused]] const auto n = ::write(m_wakeFd, &one, sizeof one);
}

void EpollEventDispatcher::interrupt()
{
    m_interrupted = true;
    wakeUp();
}

int EpollEventDispatcher::timeoutMs() const
{
    if (m_deadlines.empty())
        return -1;
    const qint64 wait = m_deadlines.begin()->first - nowNs();
    if (wait <= 0)
        return 0;
    return int((wait + 999999) / 1000000); // round up: never wake before the deadline
}

bool EpollEventDispatcher::activateTimers()
{
    bool any = false;
    const qint64 now = nowNs();
    // Collect first: a timer's event may register or kill timers.
    std::vector<int> due;
    for (auto it = m_deadlines.begin(); it != m_deadlines.end() && it->first <= now; ++it)
        due.push_back(it->second);
    for (int id : due) {
        auto it = m_timers.find(id);
        if (it == m_timers.end() || it->second.running)
            continue;
        Timer &t = it->second;
        m_deadlines.erase({t.deadlineNs, id});
        // Next period from the old deadline, so that periodic timers keep
        // their rhythm; never in the past.
        t.deadlineNs = std::max(t.deadlineNs + t.intervalMs * 1000000, now + (t.intervalMs ? 0 : 1));
        m_deadlines.insert({t.deadlineNs, id});
        t.running = true;
        QObject *object = t.object;
        QTimerEvent event(id);
        QCoreApplication::sendEvent(object, &event);
        any = true;
        if (auto again = m_timers.find(id); again != m_timers.end())
            again->second.running = false;
    }
    return any;
}

bool EpollEventDispatcher::processEvents(QEventLoop::ProcessEventsFlags flags)
{
    m_interrupted = false;
    Q_EMIT awake();
    QCoreApplication::sendPostedEvents();

    const bool wait = flags.testFlag(QEventLoop::WaitForMoreEvents) && !m_interrupted;
    if (wait)
        Q_EMIT aboutToBlock();
    if (m_interrupted)
        return false;

    const int timeout = wait ? timeoutMs() : 0;
    int n = ::epoll_wait(m_epoll, m_ready.data(), int(m_ready.size()), timeout);
    if (n < 0) {
        if (errno != EINTR)
            qWarning("epoll_wait failed: %s", strerror(errno));
        n = 0;
    }
    if (wait)
        Q_EMIT awake();

    bool any = false;
    if (!flags.testFlag(QEventLoop::ExcludeSocketNotifiers)) {
        for (int i = 0; i < n; ++i) {
            const int fd = m_ready[size_t(i)].data.fd;
            const quint32 events = m_ready[size_t(i)].events;
            if (fd == m_wakeFd) {
                quint64 value;
                [[maybe_unused]] const auto r = ::read(m_wakeFd, &value, sizeof value);
                any = true;
                continue;
            }
            // Look the notifiers up again for each kind: an earlier event of
            // this round may have disabled or deleted them.
            auto fire = [&](QSocketNotifier *Watch::*member) {
                auto it = m_watches.find(fd);
                if (it == m_watches.end())
                    return;
                if (QSocketNotifier *sn = it->second.*member) {
                    QEvent event(QEvent::SockAct);
                    QCoreApplication::sendEvent(sn, &event);
                    any = true;
                }
            };
            // Errors and hang-ups wake the reader (and writer): they see EOF
            // or the error on their next call, as with poll().
            if (events & (EPOLLIN | EPOLLERR | EPOLLHUP))
                fire(&Watch::read);
            if (events & (EPOLLOUT | EPOLLERR | EPOLLHUP))
                fire(&Watch::write);
            if (events & EPOLLPRI)
                fire(&Watch::exception);
        }
    } else {
        // Sockets stay ready (level-triggered): they are seen next time.
        for (int i = 0; i < n; ++i) {
            if (m_ready[size_t(i)].data.fd == m_wakeFd) {
                quint64 value;
                [[maybe_unused]] const auto r = ::read(m_wakeFd, &value, sizeof value);
            }
        }
    }
    if (!flags.testFlag(QEventLoop::X11ExcludeTimers))
        any = activateTimers() || any;
    return any;
}

} // namespace sanayicin
