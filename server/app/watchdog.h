#pragma once

#include <QObject>
#include <QString>
#include <QTimer>
#include <atomic>
#include <list>

namespace sanayicin {

class SystemdNotifier;

// One thread's sign of life: a timer on that thread's own event loop
// stamps it, so the stamp grows old when the loop stops turning (a handler
// that hangs, a deadlock, a blocking call that never returns).
class Heartbeat
{
public:
    Heartbeat(QString name, int intervalMs) : m_name(std::move(name)), m_intervalMs(intervalMs) {}
    const QString &name() const { return m_name; }
    int intervalMs() const { return m_intervalMs; }
    void beat();
    qint64 lastNs() const { return m_lastNs.load(std::memory_order_relaxed); }

    // Stamps now and starts a timer that stamps on the calling thread's loop
    // every intervalMs; the timer belongs to `owner` (a QObject of that
    // thread) and stops with it.
    void startBeating(QObject *owner);

private:
    const QString m_name;
    const int m_intervalMs;
    std::atomic<qint64> m_lastNs{0};
};

// systemd's watchdog (WatchdogSec=): sends WATCHDOG=1 every half period
// from the main thread, and only while every registered thread's heartbeat
// is fresh. A main thread that hangs sends nothing; a network thread that
// hangs stops the pings too, and systemd kills and restarts the instance
// (the journal says which thread was stuck first).
class Watchdog : public QObject
{
public:
    Watchdog(SystemdNotifier &notifier, qint64 periodUsec, QObject *parent = nullptr);
    ~Watchdog() override;

    // A heartbeat for a thread to stamp (Heartbeat::startBeating on it);
    // it lives until remove(). Main thread only, like remove().
    Heartbeat &add(const QString &threadName);
    // Before the thread stops: its heartbeat no longer counts.
    void remove(Heartbeat &heartbeat);

    // Starts pinging (at READY=1: systemd arms the watchdog from then on).
    void start();

    // How often the pings go, a thread stamps, and how old a stamp may be (ms).
    int pingIntervalMs() const { return m_pingMs; }
    int beatIntervalMs() const { return m_beatMs; }
    int staleAfterMs() const { return m_staleMs; }

private:
    void check();

    SystemdNotifier &m_notifier;
    const int m_pingMs;
    const int m_beatMs;
    const int m_staleMs;
    QTimer m_timer;
    std::list<Heartbeat> m_beats;
    bool m_withholding = false;
};

} // namespace sanayicin
