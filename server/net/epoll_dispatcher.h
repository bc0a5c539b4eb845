#pragma once

#include <QAbstractEventDispatcher>
#include <sys/epoll.h>
#include <atomic>
#include <map>
#include <set>
#include <unordered_map>
#include <vector>



namespace sanayicin {

// A Qt event dispatcher on Linux epoll. Qt 6.4's own dispatchers (glib and
// the UNIX one) hand every socket notifier of the thread to poll() on each
// wake-up, so a thread with 10,000 idle WebSockets pays for all of them at
// every message; here the kernel keeps the interest list and a wake-up costs
// only the sockets that are ready. Timers are kept in a deadline-ordered set;
// posted events and cross-thread wake-ups go through an eventfd.
//
// Install it on a thread before the thread starts (QThread::setEventDispatcher).
class EpollEventDispatcher final : public QAbstractEventDispatcher
{
    Q_OBJECT
public:
    explicit EpollEventDispatcher(QObject *parent = nullptr);
    ~EpollEventDispatcher() override;

    bool processEvents(QEventLoop::ProcessEventsFlags flags) override;

    void registerSocketNotifier(QSocketNotifier *notifier) override;
    void unregisterSocketNotifier(QSocketNotifier *notifier) override;

    void registerTimer(int timerId, qint64 interval, Qt::TimerType timerType,
                       QObject *object) override;
    bool unregisterTimer(int timerId) override;
    bool unregisterTimers(QObject *object) override;
    QList<TimerInfo> registeredTimers(QObject *object) const override;
    int remainingTime(int timerId) override;

    void wakeUp() override;
    void interrupt() override;

private:
    struct Watch
    {
        QSocketNotifier *read = nullptr;
        QSocketNotifier *write = nullptr;
        QSocketNotifier *exception = nullptr;
        quint32 events = 0; // what epoll watches now
    };
    struct Timer
    {
        qint64 intervalMs = 0;
        Qt::TimerType type = Qt::CoarseTimer;
        QObject *object = nullptr;
        qint64 deadlineNs = 0;
        bool running = false; // its event is being delivered (no re-entry)
    };

    void updateWatch(int fd, Watch &watch);
    bool activateTimers();
    int timeoutMs() const;

    int m_epoll = -1;
    int m_wakeFd = -1;
    std::atomic<bool> m_interrupted{false};
    std::unordered_map<int, Watch> m_watches;
    std::unordered_map<int, Timer> m_timers;
    std::set<std::pair<qint64, int>> m_deadlines; // (deadline ns, timer id)
    std::vector<::epoll_event> m_ready;
};

} // namespace sanayicin
