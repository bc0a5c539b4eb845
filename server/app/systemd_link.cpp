#include "systemd_link.h"

#include "logging/log.h"
#include "systemd_notifier.h"
#include "watchdog.h"

#include <ctime>

namespace sanayicin {

namespace {

constexpr int kStatusRefreshMs = 5000;

// RELOADING=1 carries the monotonic time (systemd 253 and later want it for
// Type=notify-reload; older ones ignore it).
QByteArray monotonicUsec()
{
    timespec ts = {};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return QByteArray::number(qint64(ts.tv_sec) * 1000000 + ts.tv_nsec / 1000);
}

} // namespace

std::unique_ptr<SystemdLink> SystemdLink::fromEnvironment(StatusText status)
{
    std::unique_ptr<SystemdNotifier> notifier = SystemdNotifier::fromEnvironment();
    if (!notifier)
        return nullptr;
    const qint64 watchdogUsec = SystemdNotifier::watchdogUsecFromEnvironment();
    return std::unique_ptr<SystemdLink>(
        new SystemdLink(std::move(notifier), watchdogUsec, std::move(status)));
}

SystemdLink::SystemdLink(std::unique_ptr<SystemdNotifier> notifier, qint64 watchdogUsec,
                         StatusText status)
    : m_notifier(std::move(notifier)), m_status(std::move(status))
{
    if (watchdogUsec > 0) {
        m_watchdog = std::make_unique<Watchdog>(*m_notifier, watchdogUsec);
        qCInfo(lcApp) << "systemd watchdog: WATCHDOG=1 every" << m_watchdog->pingIntervalMs()
                      << "ms while the main thread and every network thread run";
    }
    connect(&m_statusTimer, &QTimer::timeout, this, &SystemdLink::refreshStatus);
}

SystemdLink::~SystemdLink() = default;

Heartbeat *SystemdLink::heartbeatFor(const QString &name)
{
    return m_watchdog ? &m_watchdog->add(name) : nullptr;
}

void SystemdLink::forget(Heartbeat *heartbeat)
{
    if (m_watchdog && heartbeat)
        m_watchdog->remove(*heartbeat);
}

void SystemdLink::send(QByteArray state)
{
    m_lastStatus = m_status();
    state += "\nSTATUS=";
    state += m_lastStatus;
    m_notifier->notify(state);
}

void SystemdLink::ready()
{
    if (m_ready || m_stopping)
        return;
    m_ready = true;
    send("READY=1");
    qCInfo(lcApp) << "told systemd READY=1";
    if (m_watchdog)
        m_watchdog->start();
    m_statusTimer.start(kStatusRefreshMs);
}

void SystemdLink::reloading()
{
    // Before READY=1 systemd still waits for the start: nothing to say.
    if (!m_ready || m_stopping)
        return;
    send("RELOADING=1\nMONOTONIC_USEC=" + monotonicUsec());
}

void SystemdLink::reloaded()
{
    // Before the first READY=1 a reload does not make the daemon ready.
    if (m_ready && !m_stopping)
        send("READY=1");
}

void SystemdLink::stopping()
{
    if (m_stopping)
        return;
    m_stopping = true;
    send("STOPPING=1");
}

void SystemdLink::startingStatus(const QByteArray &text)
{
    if (!m_ready && !m_stopping)
        m_notifier->notify("STATUS=" + text);
}

void SystemdLink::refreshStatus()
{
    QByteArray status = m_status();
    if (status == m_lastStatus)
        return;
    m_lastStatus = status;
    m_notifier->notify("STATUS=" + status);
}

} // namespace sanayicin
