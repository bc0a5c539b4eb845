#pragma once

#include <QByteArray>
#include <QObject>
#include <QTimer>
#include <functional>
#include <memory>

namespace sanayicin {

class Heartbeat;
class SystemdNotifier;
class Watchdog;

// What systemd learns about the daemon under Type=notify: READY=1 once it
// serves, a STATUS= line kept current for `systemctl status`, RELOADING=1
// and READY=1 around a SIGHUP reload, STOPPING=1 when it drains, and the
// watchdog's pings (watchdog.h). Main thread only.
class SystemdLink : public QObject
{
public:
    using StatusText = std::function<QByteArray()>;

    // Null when NOTIFY_SOCKET is not set: nothing changes then. `status`
    // gives the current STATUS= text (one line).
    static std::unique_ptr<SystemdLink> fromEnvironment(StatusText status);
    ~SystemdLink() override;

    // A heartbeat for the thread `name` to stamp on its own loop; null when
    // systemd runs no watchdog for us (WatchdogSec= unset).
    Heartbeat *heartbeatFor(const QString &name);
    void forget(Heartbeat *heartbeat);

    void ready();
    void reloading();
    void reloaded(); // READY=1 again (also after a reload that failed)
    void stopping();
    bool isReady() const { return m_ready; }
    // Sends the STATUS= line now if it changed (also every few seconds).
    void refreshStatus();
    // Before READY=1: what the start waits for (e.g. "starting: waiting for Redis").
    void startingStatus(const QByteArray &text);

private:
    SystemdLink(std::unique_ptr<SystemdNotifier> notifier, qint64 watchdogUsec, StatusText status);
    void send(QByteArray state);

    std::unique_ptr<SystemdNotifier> m_notifier;
    std::unique_ptr<Watchdog> m_watchdog;
    StatusText m_status;
    QByteArray m_lastStatus;
    QTimer m_statusTimer;
    bool m_ready = false;
    bool m_stopping = false;
};

} // namespace sanayicin
