// The opening of a WebSocket: the token (from the Authorization header or
// the first frame) is checked, then hello goes out with the user's newest
// message id; frames that came meanwhile wait (client_connection.cpp).

#include "chat/chat.h"
#include "client_connection.h"
#include "close_codes.h"
#include "protocol/objects.h"
#include "protocol/server_frames.h"
#include "time/clock.h"
#include "ws_gateway.h"
#include "ws_transport.h"

#include <algorithm>

namespace sanayicin {

using namespace ws;

void ClientConnection::start()
{
    const QByteArray header = m_ws->authorizationHeader();
    if (!header.isEmpty())
        beginAuth(chat::Accounts::bearerToken(header));
}

void ClientConnection::beginAuth(const QString &token)
{
    m_state = State::Authenticating;
    using Check = chat::Accounts::TokenCheck;
    // Not caller(): this one is not open yet. The answer comes only while
    // the connection exists; its state is checked here.
    deps().chat.accounts.authenticate(
        {this, &m_gateway, nullptr}, token, [this](Check check, const AuthUser &auth) {
            if (m_state != State::Authenticating)
                return;
            switch (check) {
            case Check::Valid:
                authSucceeded(auth);
                return;
            case Check::Unavailable:
                sendFrame(frames::error(ErrorCode::Unavailable,
                                        QStringLiteral("cannot check the token now")));
                close(kGoingAway, QStringLiteral("reconnect"));
                return;
            case Check::Invalid:
                break;
            }
            sendFrame(frames::error(ErrorCode::Unauthorized,
                                    QStringLiteral("invalid or revoked token")));
            close(kUnauthorized, QStringLiteral("unauthorized"));
        });
}

void ClientConnection::authSucceeded(const AuthUser &auth)
{
    if (m_admin) {
        adminAuthenticated(auth);
        return;
    }
    m_auth = auth;
    m_state = State::Open;
    m_gateway.registerUser(this); // from here on, live messages are held
    deps().chat.messaging.newestMessageId(caller(), auth.user.id, [this](bool ok, qint64 lastId) {
        if (m_state != State::Open)
            return;
        if (ok) {
            sendHello(lastId);
            return;
        }
        sendError(ErrorCode::Unavailable, QStringLiteral("the database is unavailable"));
        close(kGoingAway, QStringLiteral("reconnect"));
    });
}

void ClientConnection::sendHello(qint64 lastMessageId)
{
    const WsSettings &config = deps().settings;
    m_committedUpTo = std::max(m_committedUpTo, lastMessageId);
    sendFrame(frames::hello(userJson(m_auth.user), config.instanceId, config.heartbeatSeconds,
                            lastMessageId));
    m_hold = Hold::Grace;
    m_holdUntilMs = steadyMs() + config.syncGraceMs;
    if (config.syncGraceMs == 0)
        releaseHeld();
    else if (!m_held.empty())
        m_gateway.endGraceAt(this, m_holdUntilMs); // what came before hello
    while (!m_early.isEmpty() && m_state == State::Open)
        handleFrame(m_early.takeFirst());
}

} // namespace sanayicin
