#include "hub.h"

#include "connection_host.h"
#include "delivery_service.h"
#include "metrics/metrics.h"

#include <QMetaObject>

namespace sanayicin {

Hub::Hub() = default;

void Hub::addHost(ConnectionHost *host)
{
    QMutexLocker lock(&m_mutex);
    m_hosts.push_back(host);
}

void Hub::removeHost(ConnectionHost *host)
{
    QMutexLocker lock(&m_mutex);
    m_hosts.removeAll(host);
}

template<typename F>
void Hub::onEveryHost(F f)
{
    QList<ConnectionHost *> hosts;
    {
        QMutexLocker lock(&m_mutex);
        hosts = m_hosts;
    }
    for (ConnectionHost *host : hosts)
        QMetaObject::invokeMethod(host, [host, f] { f(host); }, Qt::QueuedConnection);
}

void Hub::publishCommitted(std::shared_ptr<const MessageBatch> batch)
{
    if (m_delivery)
        m_delivery->submitBatch(std::move(batch));
    else
        deliverToHosts(std::move(batch));
}

void Hub::deliverToHosts(std::shared_ptr<const MessageBatch> batch)
{
    onEveryHost([batch](ConnectionHost *h) { h->deliverMessages(*batch); });
}

void Hub::sendToUsers(const QList<qint64> &users, const QByteArray &frame)
{
    if (users.isEmpty())
        return;
    onEveryHost([users, frame](ConnectionHost *h) { h->deliverFrame(users, frame); });
}

void Hub::closeUser(qint64 userId, int code, const QString &reason)
{
    onEveryHost([=](ConnectionHost *h) { h->closeUser(userId, code, reason); });
}

void Hub::closeToken(qint64 userId, const QByteArray &tokenHash, int code, const QString &reason)
{
    onEveryHost([=](ConnectionHost *h) { h->closeToken(userId, tokenHash, code, reason); });
}

void Hub::closeAll(int code, const QString &reason)
{
    onEveryHost([=](ConnectionHost *h) { h->closeAll(code, reason); });
}

void Hub::connectionOpened(qint64 userId)
{
    bool first;
    {
        QMutexLocker lock(&m_mutex);
        first = ++m_connections[userId] == 1;
        if (m_onlineGauge)
            m_onlineGauge->set(m_connections.size());
    }
    if (first && m_delivery)
        m_delivery->presenceChanged(userId);
}

void Hub::connectionClosed(qint64 userId)
{
    bool last = false;
    {
        QMutexLocker lock(&m_mutex);
        auto it = m_connections.find(userId);
        if (it == m_connections.end())
            return;
        if (--*it == 0) {
            m_connections.erase(it);
            last = true;
        }
        if (m_onlineGauge)
            m_onlineGauge->set(m_connections.size());
    }
    if (last && m_delivery)
        m_delivery->presenceChanged(userId);
}

bool Hub::isOnline(qint64 userId) const
{
    QMutexLocker lock(&m_mutex);
    return m_connections.contains(userId);
}

int Hub::onlineUsers() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_connections.size());
}

void Hub::peersChanged(qint64 userA, qint64 userB)
{
    if (m_delivery)
        m_delivery->invalidatePeers(userA, userB);
}

} // namespace sanayicin
