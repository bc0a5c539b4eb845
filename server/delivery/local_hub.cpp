#include "local_hub.h"

#include "connection_host.h"
#include "metrics/metrics.h"
#include "presence_view.h"

#include <QMetaObject>
#include <QPointer>

namespace sanayicin {

LocalHub::LocalHub(const PresenceView &view, Gauge *onlineGauge)
    : m_view(view), m_onlineGauge(onlineGauge)
{}

void LocalHub::addHost(ConnectionHost *host)
{
    QMutexLocker lock(&m_mutex);
    m_hosts.push_back(host);
}

void LocalHub::removeHost(ConnectionHost *host)
{
    QMutexLocker lock(&m_mutex);
    m_hosts.removeAll(host);
}

template<typename F>
void LocalHub::onEveryHost(F f)
{
    QList<ConnectionHost *> hosts;
    {
        QMutexLocker lock(&m_mutex);
        hosts = m_hosts;
    }
    for (ConnectionHost *host : hosts)
        QMetaObject::invokeMethod(host, [host, f] { f(host); }, Qt::QueuedConnection);
}

void LocalHub::deliverToHosts(std::shared_ptr<const MessageBatch> batch)
{
    onEveryHost([batch](ConnectionHost *h) { h->deliverMessages(*batch); });
}

void LocalHub::sendToUsersHere(const QList<qint64> &users, const QByteArray &frame)
{
    onEveryHost([users, frame](ConnectionHost *h) { h->deliverFrame(users, frame); });
}

void LocalHub::closeUserHere(qint64 userId, int code, const QString &reason)
{
    onEveryHost([=](ConnectionHost *h) { h->closeUser(userId, code, reason); });
}

void LocalHub::closeTokenHere(qint64 userId, const QByteArray &tokenHash, int code,
                              const QString &reason)
{
    onEveryHost([=](ConnectionHost *h) { h->closeToken(userId, tokenHash, code, reason); });
}

void LocalHub::closeAllHere(int code, const QString &reason)
{
    onEveryHost([=](ConnectionHost *h) { h->closeAll(code, reason); });
}

bool LocalHub::connectionOpened(qint64 userId)
{
    QMutexLocker lock(&m_mutex);
    const bool first = ++m_connections[userId] == 1;
    if (m_onlineGauge)
        m_onlineGauge->set(m_connections.size());
    return first;
}

bool LocalHub::connectionClosed(qint64 userId)
{
    QMutexLocker lock(&m_mutex);
    auto it = m_connections.find(userId);
    if (it == m_connections.end())
        return false;
    bool last = false;
    if (--*it == 0) {
        m_connections.erase(it);
        last = true;
    }
    if (m_onlineGauge)
        m_onlineGauge->set(m_connections.size());
    return last;
}

void LocalHub::gatherConnections(QObject *home, std::function<void(QList<ConnectionSummary>)> done)
{
    QList<ConnectionHost *> hosts;
    {
        QMutexLocker lock(&m_mutex);
        hosts = m_hosts;
    }
    struct Gather
    {
        int waiting = 0;
        QList<ConnectionSummary> all;
        std::function<void(QList<ConnectionSummary>)> done;
    };
    auto g = std::make_shared<Gather>();
    g->waiting = int(hosts.size());
    g->done = std::move(done);
    if (hosts.isEmpty()) {
        g->done({});
        return;
    }
    QPointer<QObject> h(home);
    for (ConnectionHost *host : hosts) {
        QMetaObject::invokeMethod(
            host,
            [host, h, g] {
                QList<ConnectionSummary> part = host->summaries();
                if (QObject *target = h.data())
                    QMetaObject::invokeMethod(
                        target,
                        [g, part] {
                            g->all += part;
                            if (--g->waiting == 0)
                                g->done(g->all);
                        },
                        Qt::QueuedConnection);
            },
            Qt::QueuedConnection);
    }
}

bool LocalHub::isConnectedHere(qint64 userId) const
{
    QMutexLocker lock(&m_mutex);
    return m_connections.contains(userId);
}

QList<qint64> LocalHub::usersHere() const
{
    QMutexLocker lock(&m_mutex);
    return m_connections.keys();
}

bool LocalHub::isOnline(qint64 userId) const
{
    return isConnectedHere(userId) || m_view.contains(userId);
}

int LocalHub::usersOnlineHere() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_connections.size());
}

} // namespace sanayicin
