#include "ws_gateway.h"

#include "chat/chat.h"
#include "client_connection.h"
#include "delivery/admin_feed.h"
#include "metrics/server_metrics.h"
#include "net/connection_limits.h"
#include "time/clock.h"
#include "ws_transport.h"

#include <QAtomicInteger>

namespace sanayicin {

namespace {
QAtomicInteger<qint64> g_nextConnectionId{1};
}

WsGateway::WsGateway(const WsDeps &deps, QObject *parent)
    : ConnectionHost(parent), m_deps(deps), m_feed(deps.chat.administration.stream())
{
    m_ticker.setInterval(1000);
    connect(&m_ticker, &QTimer::timeout, this, &WsGateway::tick);
    m_ticker.start();
    m_graceTimer.setSingleShot(true);
    m_graceTimer.setTimerType(Qt::PreciseTimer);
    connect(&m_graceTimer, &QTimer::timeout, this, &WsGateway::endDueGraces);
}

WsGateway::~WsGateway()
{
    const auto all = m_all;
    for (ClientConnection *c : all)
        delete c;
}

void WsGateway::accept(std::unique_ptr<WsTransport> transport,
                       std::optional<AdminStreamResume> admin)
{
    std::unique_ptr<ClientConnection::AdminWatch> watch;
    if (admin)
        watch.reset(new ClientConnection::AdminWatch{std::move(*admin), 0});
    auto *c = new ClientConnection(*this, std::move(transport),
                                   g_nextConnectionId.fetchAndAddRelaxed(1), nowMs(),
                                   std::move(watch));
    m_all.insert(c);
    m_deps.metrics.wsConnections.add(1);
    c->start();
}

void WsGateway::registerUser(ClientConnection *c)
{
    // The per-user cap (--max-websockets-per-user): past it the connection
    // closes before hello, and is never registered.
    if (!m_deps.connections.addUser(c->userId())) {
        c->close(1008, QStringLiteral("too many connections for this user"));
        return;
    }
    m_byUser[c->userId()].push_back(c);
    if (!c->isAdminStream()) // a console watching is not its user online
        m_deps.chat.presence.connectionOpened(c->userId());
    if (m_feed.watched())
        m_feed.connectionOpened(c->summary());
}

void WsGateway::forget(ClientConnection *c)
{
    unregisterUser(c);
    if (m_all.remove(c)) {
        m_deps.metrics.wsConnections.add(-1);
        if (m_feed.watched())
            m_feed.connectionClosed(c->id());
    }
}

void WsGateway::unregisterUser(ClientConnection *c)
{
    auto it = m_byUser.find(c->userId());
    if (it != m_byUser.end()) {
        const qsizetype i = it->indexOf(c);
        if (i >= 0) {
            it->remove(i);
            if (it->isEmpty())
                m_byUser.erase(it);
            m_deps.connections.removeUser(c->userId());
            if (!c->isAdminStream())
                m_deps.chat.presence.connectionClosed(c->userId());
        }
    }
}

void WsGateway::deliverMessages(const MessageBatch &batch)
{
    for (const auto &d : batch) {
        for (qint64 user : {d->userA, d->userB}) {
            auto it = m_byUser.constFind(user);
            if (it == m_byUser.constEnd())
                continue;
            // Copy: a delivery can close (and remove) a connection.
            const auto conns = *it;
            for (ClientConnection *c : conns) {
                if (c->id() != d->originConnection)
                    c->deliver(d);
            }
        }
    }
}

void WsGateway::deliverFrame(const QList<qint64> &users, const QByteArray &frame)
{
    for (qint64 user : users) {
        auto it = m_byUser.constFind(user);
        if (it == m_byUser.constEnd())
            continue;
        const auto conns = *it;
        for (ClientConnection *c : conns)
            c->deliverEvent(frame);
    }
}

void WsGateway::closeUser(qint64 userId, int code, const QString &reason)
{
    auto it = m_byUser.constFind(userId);
    if (it == m_byUser.constEnd())
        return;
    const auto conns = *it;
    for (ClientConnection *c : conns)
        c->close(code, reason);
}

void WsGateway::closeToken(qint64 userId, const QByteArray &tokenHash, int code,
                           const QString &reason)
{
    auto it = m_byUser.constFind(userId);
    if (it == m_byUser.constEnd())
        return;
    const auto conns = *it;
    for (ClientConnection *c : conns)
        if (c->tokenHash() == tokenHash)
            c->close(code, reason);
}

void WsGateway::closeAll(int code, const QString &reason)
{
    const auto all = m_all;
    for (ClientConnection *c : all)
        c->close(code, reason);
}

QList<ConnectionSummary> WsGateway::summaries() const
{
    QList<ConnectionSummary> out;
    out.reserve(m_all.size());
    for (const ClientConnection *c : m_all)
        out.push_back(c->summary());
    return out;
}

std::optional<qint64> WsGateway::closeConnection(qint64 id, int code, const QString &reason)
{
    for (ClientConnection *c : std::as_const(m_all))
        if (c->id() == id) {
            const qint64 user = c->userId();
            c->close(code, reason);
            return user;
        }
    return std::nullopt;
}

void WsGateway::endGraceAt(ClientConnection *c, qint64 atMs)
{
    m_graceEnds.emplace_back(atMs, c);
    if (!m_graceTimer.isActive())
        m_graceTimer.start(int(std::max<qint64>(0, m_graceEnds.front().first - steadyMs())));
}

void WsGateway::endDueGraces()
{
    const qint64 now = steadyMs();
    while (!m_graceEnds.empty() && m_graceEnds.front().first <= now) {
        const QPointer<ClientConnection> c = m_graceEnds.front().second;
        m_graceEnds.pop_front();
        if (c)
            c->endGraceIfDue(now);
    }
    if (!m_graceEnds.empty())
        m_graceTimer.start(int(std::max<qint64>(0, m_graceEnds.front().first - now)));
}

void WsGateway::tick()
{
    const qint64 now = steadyMs();
    const auto all = m_all;
    for (ClientConnection *c : all)
        c->tick(now);
}

} // namespace sanayicin
