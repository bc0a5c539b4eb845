#pragma once

#include <QByteArray>
#include <QHash>
#include <QHostAddress>
#include <QMutex>
#include <atomic>

namespace sanayicin {

class ConnectionLimits;
class Counter;
class MetricsRegistry;

// One connection's place under the caps; gives it back when destroyed.
// Move-only, so that it can follow a connection from its HTTP socket to the
// WebSocket it turns into.
class ConnectionTicket
{
public:
    ConnectionTicket() = default;
    ConnectionTicket(ConnectionTicket &&other) noexcept { *this = std::move(other); }
    ConnectionTicket &operator=(ConnectionTicket &&other) noexcept;
    ConnectionTicket(const ConnectionTicket &) = delete;
    ConnectionTicket &operator=(const ConnectionTicket &) = delete;
    ~ConnectionTicket() { release(); }

    explicit operator bool() const { return m_limits != nullptr; }
    void release();

private:
    friend class ConnectionLimits;
    ConnectionLimits *m_limits = nullptr;
    bool m_counted = false; // in the instance's total
    QByteArray m_address;   // counted for this address; empty: not per address
};

// The instance's caps on open connections: in total (HTTP and WebSocket), per
// client address, and WebSockets per user. Thread-safe; one per daemon.
class ConnectionLimits
{
public:
    struct Caps
    {
        qint64 total = 10000;
        int perAddress = 1000;
        int perUser = 256;
    };
    enum class Refusal { None, Total, Address, User };

    ConnectionLimits(Caps caps, MetricsRegistry &registry);

    // New caps from a reload: connections open now stay; new ones are
    // counted against these. Thread-safe.
    void setCaps(Caps caps);
    Caps caps() const;

    // A new TCP connection: counted in the total and, unless `address` is
    // empty (a trusted proxy), for that address.
    ConnectionTicket open(const QByteArray &address, Refusal &why);
    // A WebSocket a trusted proxy forwards for `address` (the proxy's own
    // connection is already counted in the total).
    ConnectionTicket openForwarded(const QByteArray &address, Refusal &why);
    // An authenticated WebSocket of `userId`; false (and counted as refused)
    // past the per-user cap. Each true is matched by one removeUser().
    bool addUser(qint64 userId);
    void removeUser(qint64 userId);

    qint64 openConnections() const { return m_total.load(std::memory_order_relaxed); }

    // The key an address is counted under (IPv4-mapped IPv6 as IPv4; what a
    // proxy sends that is not an address, as sent, at most 64 bytes).
    static QByteArray addressKey(const QHostAddress &address);
    static QByteArray addressKey(const QByteArray &text);

private:
    friend class ConnectionTicket;
    void release(ConnectionTicket &ticket);
    bool takeAddress(const QByteArray &address);

    // Each read with a plain (relaxed) load: a reload may change them.
    std::atomic<qint64> m_capTotal;
    std::atomic<int> m_capPerAddress;
    std::atomic<int> m_capPerUser;
    std::atomic<qint64> m_total{0};
    QMutex m_mutex;
    QHash<QByteArray, int> m_byAddress;
    QHash<qint64, int> m_byUser;
    Counter &m_refusedTotal;
    Counter &m_refusedAddress;
    Counter &m_refusedUser;
};

} // namespace sanayicin
