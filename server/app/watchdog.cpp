#include "watchdog.h"

#include "logging/log.h"
#include "systemd_notifier.h"
#include "time/clock.h"

namespace sanayicin {

void Heartbeat::beat()
{
    m_lastNs.store(steadyNs(), std::memory_order_relaxed);
}

void Heartbeat::startBeating(QObject *owner)
{
    beat();
    auto *timer = new QTimer(owner);
    QObject::connect(timer, &QTimer::timeout, timer, [this] { beat(); });
    timer->start(m_intervalMs);
}

namespace {
int clampMs(qint64 ms)
{
    return int(qBound<qint64>(1, ms, 24LL * 3600 * 1000));
}
} // namespace

// The ping every half period (as sd_watchdog_enabled(3) advises); a thread
// stamps every quarter; a stamp older than half a period means a loop that
// missed at least one turn of its timer by a whole quarter period. So a
// hung thread withholds the pings within half a period, and systemd acts
// at most a period after the last ping.
Watchdog::Watchdog(SystemdNotifier &notifier, qint64 periodUsec, QObject *parent)
    : QObject(parent), m_notifier(notifier), m_pingMs(clampMs(periodUsec / 2000))
    , m_beatMs(clampMs(periodUsec / 4000)), m_staleMs(clampMs(periodUsec / 2000))
{
    connect(&m_timer, &QTimer::timeout, this, &Watchdog::check);
}

Watchdog::~Watchdog() = default;

Heartbeat &Watchdog::add(const QString &threadName)
{
    return m_beats.emplace_back(threadName, m_beatMs);
}

void Watchdog::remove(Heartbeat &heartbeat)
{
    m_beats.remove_if([&](const Heartbeat &h) { return &h == &heartbeat; });
}

void Watchdog::start()
{
    check();
    m_timer.start(m_pingMs);
}

void Watchdog::check()
{
    const qint64 now = steadyNs();
    for (const Heartbeat &h : m_beats) {
        const qint64 ageMs = (now - h.lastNs()) / 1000000;
        if (ageMs <= m_staleMs)
            continue;
        if (!m_withholding)
            qCCritical(lcApp).noquote()
                << "watchdog: thread" << h.name() << "has not turned its event loop for"
                << ageMs << "ms; no more WATCHDOG=1 until it does (systemd restarts the "
                              "instance after WatchdogSec)";
        m_withholding = true;
        return;
    }
    if (m_withholding)
        qCWarning(lcApp) << "watchdog: every thread runs again; WATCHDOG=1 resumes";
    m_withholding = false;
    m_notifier.notify("WATCHDOG=1");
}

} // namespace sanayicin
