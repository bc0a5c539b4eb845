#pragma once

#include <QByteArray>
#include <QByteArrayView>
#include <QString>
#include <atomic>
#include <memory>

namespace sanayicin {

// The sd_notify protocol, spoken directly: each state change is one datagram
// of "KEY=VALUE" lines to the AF_UNIX socket systemd names in NOTIFY_SOCKET
// (a path, or an abstract name starting with '@'). Without NOTIFY_SOCKET the
// daemon is not under Type=notify and fromEnvironment() returns null.
class SystemdNotifier
{
public:
    // Null when NOTIFY_SOCKET is unset or empty, or names no AF_UNIX
    // address; the reason is logged.
    static std::unique_ptr<SystemdNotifier> fromEnvironment();
    ~SystemdNotifier();
    SystemdNotifier(const SystemdNotifier &) = delete;
    SystemdNotifier &operator=(const SystemdNotifier &) = delete;

    // Sends `state` (e.g. "READY=1\nSTATUS=serving"); false when it could not
    // (logged once, not per datagram, and again after it worked).
    bool notify(QByteArrayView state);

    // WATCHDOG_USEC when the watchdog is on for this process (WATCHDOG_PID
    // unset or ours), else 0.
    static qint64 watchdogUsecFromEnvironment();

private:
    SystemdNotifier(int fd, QByteArray address);
    int m_fd;
    QByteArray m_address; // sockaddr_un's sun_path bytes, '\0' first if abstract
    std::atomic<bool> m_failing{false};
};

} // namespace sanayicin
