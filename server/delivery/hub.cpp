#include "hub.h"

#include "auth/session_cache.h"
#include "bridge/wire_format.h"
#include "connection_host.h"
#include "delivery_service.h"
#include "metrics/metrics.h"
#include "presence_view.h"
#include "time/clock.h"

#include <QMetaObject>
#include <QPointer>

namespace sanayicin {

Hub::Hub(SessionCache &sessions) : m_sessions(sessions) {}

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

void Hub::deliverToHosts(std::shared_ptr<const MessageBatch> batch)
{
    onEveryHost([batch](ConnectionHost *h) { h->deliverMessages(*batch); });
}

void Hub::sendToUsers(const QList<qint64> &users, const QByteArray &frame)
{
    if (users.isEmpty())
        return;
    sendToUsersHere(users, frame);
    if (m_delivery) {
        wire::Event e;
        e.kind = wire::EventKind::Frame;
        e.users = users;
        e.frame = frame;
        m_delivery->broadcast(e);
    }
}

void Hub::sendToUsersHere(const QList<qint64> &users, const QByteArray &frame)
{
    onEveryHost([users, frame](ConnectionHost *h) { h->deliverFrame(users, frame); });
}

void Hub::closeUser(qint64 userId, int code, const QString &reason)
{
    closeUserHere(userId, code, reason);
    if (m_delivery) {
        wire::Event e;
        e.kind = wire::EventKind::CloseUser;
        e.userId = userId;
        e.code = code;
        e.reason = reason;
        m_delivery->broadcast(e);
    }
}

void Hub::closeUserHere(qint64 userId, int code, const QString &reason)
{
    onEveryHost([=](ConnectionHost *h) { h->closeUser(userId, code, reason); });
}

void Hub::closeToken(qint64 userId, const QByteArray &tokenHash, int code, const QString &reason)
{
    closeTokenHere(userId, tokenHash, code, reason);
    if (m_delivery) {
        wire::Event e;
        e.kind = wire::EventKind::CloseToken;
        e.userId = userId;
        e.tokenHash = tokenHash;
        e.code = code;
        e.reason = reason;
        m_delivery->broadcast(e);
    }
}

void Hub::closeTokenHere(qint64 userId, const QByteArray &tokenHash, int code,
                         const QString &reason)
{
    onEveryHost([=](ConnectionHost *h) { h->closeToken(userId, tokenHash, code, reason); });
}

void Hub::closeAllHere(int code, const QString &reason)
{
    onEveryHost([=](ConnectionHost *h) { h->closeAll(code, reason); });
}

void Hub::revokeUser(qint64 userId)
{
    m_sessions.revokeUser(userId, nowMs());
    if (m_delivery)
        m_delivery->revokeUser(userId);
}

void Hub::revokeToken(qint64 userId, const QByteArray &tokenHash)
{
    m_sessions.revokeToken(tokenHash, nowMs());
    if (m_delivery)
        m_delivery->revokeToken(userId, tokenHash);
}

void Hub::peersChanged(qint64 userA, qint64 userB)
{
    if (m_delivery)
        m_delivery->peersChanged(userA, userB, true);
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

void Hub::gatherConnections(QObject *home, std::function<void(QList<ConnectionSummary>)> done)
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

bool Hub::isConnectedHere(qint64 userId) const
{
    QMutexLocker lock(&m_mutex);
    return m_connections.contains(userId);
}

QList<qint64> Hub::usersHere() const
{
    QMutexLocker lock(&m_mutex);
    return m_connections.keys();
}

bool Hub::isOnline(qint64 userId) const
{
    return isConnectedHere(userId) || (m_view && m_view->contains(userId));
}

int Hub::usersOnlineHere() const
{
    QMutexLocker lock(&m_mutex);
    return int(m_connections.size());
}

} // namespace sanayicin
