#include "connection_limits.h"

#include "metrics/metrics.h"

namespace sanayicin {

namespace {
const QByteArray kRefusedName = "sanayicin_connections_refused_total";
const QByteArray kRefusedHelp = "Connections refused by a connection cap, by cap.";
} // namespace

ConnectionTicket &ConnectionTicket::operator=(ConnectionTicket &&other) noexcept
{
    if (this != &other) {
        release();
        m_limits = std::exchange(other.m_limits, nullptr);
        m_counted = std::exchange(other.m_counted, false);
        m_address = std::move(other.m_address);
        other.m_address.clear();
    }
    return *this;
}

void ConnectionTicket::release()
{
    if (m_limits)
        m_limits->release(*this);
    m_limits = nullptr;
    m_counted = false;
    m_address.clear();
}

ConnectionLimits::ConnectionLimits(Caps caps, MetricsRegistry &registry)
    : m_capTotal(caps.total), m_capPerAddress(caps.perAddress), m_capPerUser(caps.perUser)
    , m_refusedTotal(registry.counter(kRefusedName, kRefusedHelp, "cap=\"total\""))
    , m_refusedAddress(registry.counter(kRefusedName, kRefusedHelp, "cap=\"address\""))
    , m_refusedUser(registry.counter(kRefusedName, kRefusedHelp, "cap=\"user\""))
{
    registry.callbackGauge("sanayicin_connections_open",
                           "Open client connections (HTTP and WebSocket) under --max-connections.",
                           [this] { return double(openConnections()); });
}

void ConnectionLimits::setCaps(Caps caps)
{
    m_capTotal.store(caps.total, std::memory_order_relaxed);
    m_capPerAddress.store(caps.perAddress, std::memory_order_relaxed);
    m_capPerUser.store(caps.perUser, std::memory_order_relaxed);
}

ConnectionLimits::Caps ConnectionLimits::caps() const
{
    return {m_capTotal.load(std::memory_order_relaxed),
            m_capPerAddress.load(std::memory_order_relaxed),
            m_capPerUser.load(std::memory_order_relaxed)};
}

QByteArray ConnectionLimits::addressKey(const QHostAddress &address)
{
    bool v4 = false;
    const quint32 ip4 = address.toIPv4Address(&v4);
    return (v4 ? QHostAddress(ip4) : address).toString().toLatin1();
}

QByteArray ConnectionLimits::addressKey(const QByteArray &text)
{
    QHostAddress a;
    if (a.setAddress(QString::fromLatin1(text)))
        return addressKey(a);
    return text.left(64);
}

bool ConnectionLimits::takeAddress(const QByteArray &address)
{
    QMutexLocker lock(&m_mutex);
    int &n = m_byAddress[address];
    if (n >= m_capPerAddress.load(std::memory_order_relaxed)) {
        if (n == 0)
            m_byAddress.remove(address);
        return false;
    }
    ++n;
    return true;
}

ConnectionTicket ConnectionLimits::open(const QByteArray &address, Refusal &why)
{
    ConnectionTicket t;
    why = Refusal::None;
    if (m_total.fetch_add(1, std::memory_order_relaxed)
        >= m_capTotal.load(std::memory_order_relaxed)) {
        m_total.fetch_sub(1, std::memory_order_relaxed);
        m_refusedTotal.inc();
        why = Refusal::Total;
        return t;
    }
    t.m_limits = this;
    t.m_counted = true;
    if (!address.isEmpty()) {
        if (!takeAddress(address)) {
            m_refusedAddress.inc();
            why = Refusal::Address;
            t.release();
            return t;
        }
        t.m_address = address;
    }
    return t;
}

ConnectionTicket ConnectionLimits::openForwarded(const QByteArray &address, Refusal &why)
{
    ConnectionTicket t;
    why = Refusal::None;
    if (!takeAddress(address)) {
        m_refusedAddress.inc();
        why = Refusal::Address;
        return t;
    }
    t.m_limits = this;
    t.m_address = address;
    return t;
}

bool ConnectionLimits::addUser(qint64 userId)
{
    QMutexLocker lock(&m_mutex);
    int &n = m_byUser[userId];
    if (n >= m_capPerUser.load(std::memory_order_relaxed)) {
        m_refusedUser.inc();
        return false;
    }
    ++n;
    return true;
}

void ConnectionLimits::removeUser(qint64 userId)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_byUser.find(userId);
    if (it != m_byUser.end() && --it.value() <= 0)
        m_byUser.erase(it);
}

void ConnectionLimits::release(ConnectionTicket &t)
{
    if (t.m_counted)
        m_total.fetch_sub(1, std::memory_order_relaxed);
    if (!t.m_address.isEmpty()) {
        QMutexLocker lock(&m_mutex);
        auto it = m_byAddress.find(t.m_address);
        if (it != m_byAddress.end() && --it.value() <= 0)
            m_byAddress.erase(it);
    }
}

} // namespace sanayicin
