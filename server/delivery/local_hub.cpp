#include "local_hub.h"

#include "connection_host.h"
#include "metrics/metrics.h"
#include "presence_view.h"

#include <QMetaObject>

namespace sanayicin {

LocalHub::LocalHub(const PresenceView &view, Gauge *onlineGauge)
    : m_view(view), m_onlineGauge(onlineGauge)
{}

void LocalHub::addHost(ConnectionHost *host)
{
    Q_ASSERT(host->thread() == QThread::currentThread());
    Host h{host, ReplyTo(host)};
    QMutexLocker lock(&m_mutex);
    m_hosts.push_back(std::move(h));
}

void LocalHub::removeHost(ConnectionHost *host)
{
    QMutexLocker lock(&m_mutex);
    m_hosts.removeIf([host](const Host &h) { return h.host == host; });
}

template<typename F>
void LocalHub::onEveryHost(F f)
{
    QList<Host> hosts;
    {
        QMutexLocker lock(&m_mutex);
        hosts = m_hosts; // shared, not copied
    }
    for (const Host &h : hosts)
        h.to.post([host = h.host, f] { f(host); });
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

// Asks every host `ask` on its own thread and gives `done` their answers
// on `home`'s thread (a host that stops meanwhile gives a default T), so the
// gathering always ends.
template<typename T>
void LocalHub::askEveryHost(QObject *home, std::function<T(ConnectionHost *)> ask,
                            std::function<void(QList<T>)> done)
{
    if (askedElsewhere(home)) {
        QMetaObject::invokeMethod(
            home,
            [this, home, ask = std::move(ask), done = std::move(done)]() mutable {
                askEveryHost<T>(home, std::move(ask), std::move(done));
            },
            Qt::QueuedConnection);
        return;
    }
    QList<Host> hosts;
    {
        QMutexLocker lock(&m_mutex);
        hosts = m_hosts;
    }
    // Touched on `home`'s thread only.
    struct Gather
    {
        int waiting = 0;
        QList<T> all;
        std::function<void(QList<T>)> done;
    };
    auto g = std::make_shared<Gather>();
    g->waiting = int(hosts.size());
    g->done = std::move(done);
    if (hosts.isEmpty()) {
        g->done({});
        return;
    }
    // One host's part. It goes back to `home` when it is destroyed: after
    // the host filled it, or unfilled when the host's mailbox dropped the
    // request (its thread is stopping), so the gathering always ends.
    struct Part
    {
        Part(ReplyTo h, std::shared_ptr<Gather> gather) : home(std::move(h)), g(std::move(gather)) {}
        Part(const Part &) = delete;
        Part &operator=(const Part &) = delete;
        ReplyTo home;
        std::shared_ptr<Gather> g;
        T found{};
        ~Part()
        {
            std::move(home).post([g = std::move(g), found = std::move(found)] {
                g->all << found;
                if (--g->waiting == 0)
                    g->done(g->all);
            });
        }
    };
    const ReplyTo reply(home);
    auto shared = std::make_shared<std::function<T(ConnectionHost *)>>(std::move(ask));
    for (const Host &h : hosts) {
        auto part = std::make_shared<Part>(reply, g);
        h.to.post([host = h.host, part, shared] { part->found = (*shared)(host); });
    }
}

void LocalHub::gatherConnections(QObject *home, std::function<void(QList<ConnectionSummary>)> done)
{
    askEveryHost<QList<ConnectionSummary>>(
        home, [](ConnectionHost *host) { return host->summaries(); },
        [done = std::move(done)](QList<QList<ConnectionSummary>> parts) {
            QList<ConnectionSummary> all;
            for (const auto &p : parts)
                all += p;
            done(std::move(all));
        });
}

void LocalHub::closeConnectionHere(QObject *home, qint64 connectionId, int code,
                                   const QString &reason, std::function<void(std::optional<qint64>)> done)
{
    askEveryHost<std::optional<qint64>>(
        home,
        [connectionId, code, reason](ConnectionHost *host) {
            return host->closeConnection(connectionId, code, reason);
        },
        [done = std::move(done)](QList<std::optional<qint64>> parts) {
            for (const auto &p : parts)
                if (p) {
                    done(p);
                    return;
                }
            done(std::nullopt);
        });
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
