#include "hub.h"

#include "auth/session_cache.h"
#include "bridge/wire_format.h"
#include "delivery_service.h"
#include "time/clock.h"

namespace sanayicin {

Hub::Hub(LocalHub &local, SessionCache &sessions, DeliveryService &delivery)
    : m_local(local), m_sessions(sessions), m_delivery(delivery)
{}

void Hub::sendToUsers(const QList<qint64> &users, const QByteArray &frame)
{
    if (users.isEmpty())
        return;
    m_local.sendToUsersHere(users, frame);
    wire::Event e;
    e.kind = wire::EventKind::Frame;
    e.users = users;
    e.frame = frame;
    m_delivery.broadcast(std::move(e));
}

void Hub::closeUser(qint64 userId, int code, const QString &reason)
{
    m_local.closeUserHere(userId, code, reason);
    wire::Event e;
    e.kind = wire::EventKind::CloseUser;
    e.userId = userId;
    e.code = code;
    e.reason = reason;
    m_delivery.broadcast(std::move(e));
}

void Hub::closeToken(qint64 userId, const QByteArray &tokenHash, int code, const QString &reason)
{
    m_local.closeTokenHere(userId, tokenHash, code, reason);
    wire::Event e;
    e.kind = wire::EventKind::CloseToken;
    e.userId = userId;
    e.tokenHash = tokenHash;
    e.code = code;
    e.reason = reason;
    m_delivery.broadcast(std::move(e));
}

void Hub::revokeUser(qint64 userId)
{
    m_sessions.revokeUser(userId, nowMs());
    m_delivery.revokeUser(userId);
}

void Hub::revokeToken(qint64 userId, const QByteArray &tokenHash)
{
    m_sessions.revokeToken(tokenHash, nowMs());
    m_delivery.revokeToken(userId, tokenHash);
}

void Hub::peersChanged(qint64 userA, qint64 userB)
{
    m_delivery.peersChanged(userA, userB, true);
}

void Hub::connectionOpened(qint64 userId)
{
    if (m_local.connectionOpened(userId))
        m_delivery.presenceChanged(userId);
}

void Hub::connectionClosed(qint64 userId)
{
    if (m_local.connectionClosed(userId))
        m_delivery.presenceChanged(userId);
}

} // namespace sanayicin
